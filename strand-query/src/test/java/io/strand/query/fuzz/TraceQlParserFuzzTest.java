package io.strand.query.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.query.TraceQl;
import io.strand.query.TraceQlException;
import io.strand.query.TraceQlQuery;
import io.strand.query.TraceSearchService;
import io.strand.query.traceql.Intrinsic;
import io.strand.query.traceql.Parser;
import io.strand.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzing of the TraceQL parser: whatever the text, {@link TraceQl#parse} returns a query or
 * throws {@link TraceQlException} with a message and a position within the text; any other
 * exception or error (a stack overflow included) or a hang is a bug. A query it accepts must
 * then survive what every query goes through: its canonical form ({@code toString()}) re-parses
 * to the same tree, unless that fully parenthesized form exceeds one of the parser's limits; the
 * planner derives its store hint and the search runs it ({@link TraceSearchService} over an
 * in-memory store holding one small trace); and it evaluates on that trace.
 *
 * <p>Under {@code ./mvnw verify} these replay the committed inputs in {@code src/test/resources}
 * (regression mode); a real fuzzing run is {@code JAZZER_FUZZ=1 ./mvnw -pl strand-query test
 * -Dtest='TraceQlParserFuzzTest#parse'}. Regular expressions come from the query by design, so
 * {@code junit-platform.properties} turns off Jazzer's regular-expression-injection detector.
 */
class TraceQlParserFuzzTest {

  private static final TraceId TRACE_ID = new TraceId(0xabcL, 0x1234L);
  private static final long T0 = 1_767_225_600_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final List<Span> TRACE = trace();
  private static final TraceSearchService SEARCH = search(TRACE);

  private static final List<String> INTRINSICS = Intrinsic.spellings();

  private static final String[] TOKENS = {
    "{", "}", "{ }", "(", ")", ",", "|", "&&", "||", "!", "-",
    "=", "!=", ">", ">=", "<", "<=", "=~", "!~",
    ">>", "<<", "~", "!>", "!<", "!>>", "!<<", "&>", "&<", "&>>", "&<<", "&~",
    "span.http.request.method", "span.http.response.status_code", "span.cache.hit",
    "resource.service.name", "resource.\"service.name\"", ".a", ".tags", ".ratio",
    "span.\"a b\"", "span.\"q\\\"uote\"", "span.\"\"", "event.exception.message",
    "link.link.kind", "instrumentation.lang", "parent.x", ".", "span.", "span:",
    "\"GET\"", "\"\"", "\"a\\\"b\\\\c\\n\"", "\"\\u00e9\"", "\"\\uzzzz\"", "\"\\q\"",
    "\"GET /.*\"", "\"[\"", "\"(a|b)*\"", "`raw\\d+`", "\"unterminated", "`",
    "0", "1", "-1", "200", "503", "0.5", "1.5", "-0.0", "9223372036854775807",
    "9223372036854775808", "99999999999999999999.0", "1.", "1e400",
    "1ns", "10us", "10\u00b5s", "250ms", "1.5s", "2m", "1h", "1d", "1w", "1y", "1h30m",
    "9223372036ms", "99999999999999999999h", "1x",
    "true", "false", "nil", "ok", "error", "unset", "server", "client", "internal",
    "producer", "consumer", "unspecified", "minInt", "maxInt",
    "count()", "avg(", "min(", "max(", "sum(", "select(", "by(", "coalesce()", "foo(",
    "with (most_recent=true)", "with", "most_recent",
  };

  /** Arbitrary text, with TraceQL's symbols and words as the fuzzer's dictionary. */
  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
      "{", "}", "(", ")", ",", "|", "&&", "||", "!", "-", "=", "!=", ">", ">=", "<", "<=", "=~",
      "!~", ">>", "<<", "~", "!>", "!<", "!>>", "!<<", "&>", "&<", "&>>", "&<<", "&~",
      "span.", "resource.", "event.", "link.", "instrumentation.", "parent.", ".", "span:",
      "trace:", "event:", "link:", "instrumentation:", "\"", "`", "\\", "\\u", "ns", "us",
      "\u00b5s", "ms", "s", "m", "h", "d", "w", "y", "true", "false", "nil", "ok", "error", "unset",
      "server", "client", "internal", "producer", "consumer", "unspecified", "minInt",
      "maxInt", "name", "status", "kind", "duration", "statusMessage", "childCount",
      "rootName", "rootServiceName", "traceDuration", "count", "avg", "min", "max", "sum",
      "select", "by", "coalesce", "with", "most_recent",
  })
  void parse(FuzzedDataProvider data) {
    parseOrRefuse(data.consumeRemainingAsString());
  }

  /**
   * Queries assembled from TraceQL tokens and fragments, so that most inputs get past the lexer
   * and exercise the grammar, the type checks and the planner; now and then a raw fragment.
   */
  @FuzzTest(maxDuration = "30s")
  void tokens(FuzzedDataProvider data) {
    StringBuilder query = new StringBuilder();
    int count = data.consumeInt(0, 200);
    for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
      int pick = data.consumeInt(0, TOKENS.length + INTRINSICS.size());
      if (pick < TOKENS.length) {
        query.append(TOKENS[pick]);
      } else if (pick < TOKENS.length + INTRINSICS.size()) {
        query.append(INTRINSICS.get(pick - TOKENS.length));
      } else {
        query.append(data.consumeString(8));
      }
      if (data.consumeBoolean()) {
        query.append(' ');
      }
    }
    parseOrRefuse(query.toString());
  }

  private static void parseOrRefuse(String text) {
    TraceQlQuery query;
    try {
      query = TraceQl.parse(text);
    } catch (TraceQlException e) {
      checkRefusal(text, e);
      return;
    }
    String canonical = query.toString();
    try {
      TraceQlQuery again = TraceQl.parse(canonical);
      if (!again.ast().equals(query.ast())) {
        throw new AssertionError("canonical form " + canonical + " parses to another tree: "
            + again);
      }
    } catch (TraceQlException e) {
      if (!isLimit(e)) {
        throw new AssertionError("canonical form " + canonical + " does not parse", e);
      }
    }
    SEARCH.search(query, 0, Long.MAX_VALUE, 10);
    query.evaluate(TRACE);
  }

  private static void checkRefusal(String text, TraceQlException e) {
    if (e.getMessage() == null || e.getMessage().isBlank()
        || e.detail() == null || e.detail().isBlank()) {
      throw new AssertionError("refusal without a message", e);
    }
    if (e.position() < 0 || e.position() > text.length()) {
      throw new AssertionError("position " + e.position() + " outside the query of length "
          + text.length(), e);
    }
  }

  /** The canonical form is fully parenthesized, so it may exceed a limit its query did not. */
  private static boolean isLimit(TraceQlException e) {
    return e.detail().equals("query longer than " + Parser.MAX_QUERY_LENGTH + " characters")
        || e.detail().equals("query nested more than " + Parser.MAX_DEPTH + " deep");
  }

  /**
   * Eight spans of every kind, status and attribute type, with an event, a link and a scope:
   * enough for every field and structural relation to find something.
   */
  private static List<Span> trace() {
    List<Span> spans = new ArrayList<>();
    spans.add(span(1, 0, "frontend", "GET /cart", SpanKind.SERVER, 100)
        .attributes(Attributes.builder().put("http.request.method", "GET")
            .put("http.response.status_code", 200L).build())
        .scope(new InstrumentationScope("io.otel.http", "1.2",
            Attributes.builder().put("lang", "java").build(), 0))
        .build());
    spans.add(span(2, 1, "frontend", "call cart", SpanKind.CLIENT, 40).build());
    spans.add(span(3, 2, "cart", "GetCart", SpanKind.SERVER, 30)
        .attributes(Attributes.builder().put("cache.hit", true).put("a", true).build())
        .links(List.of(new SpanLink(new TraceId(7, 8), 9L, "",
            Attributes.builder().put("link.kind", "follows").build(), 0, 0)))
        .build());
    spans.add(span(4, 3, "cart", "SELECT", SpanKind.CLIENT, 5)
        .attributes(Attributes.builder().put("db.system", "postgresql")
            .put("tags", new AttributeValue.ArrayValue(
                List.of(AttributeValue.of("a"), AttributeValue.of(1L))))
            .build())
        .build());
    spans.add(span(5, 1, "frontend", "call checkout", SpanKind.PRODUCER, 90).build());
    spans.add(span(6, 5, "checkout", "PlaceOrder", SpanKind.CONSUMER, 80)
        .status(StatusCode.ERROR, "").build());
    spans.add(span(7, 6, "payment", "Charge", SpanKind.SERVER, 50)
        .status(StatusCode.ERROR, "card declined")
        .attributes(Attributes.builder().put("http.response.status_code", 503L)
            .put("ratio", 0.5).put("a", "x").build())
        .events(List.of(new SpanEvent(T0 + 12 * MS, "exception",
            Attributes.builder().put("exception.message", "card declined").build(), 0)))
        .build());
    spans.add(span(8, 6, "checkout", "audit", SpanKind.INTERNAL, 1)
        .status(StatusCode.OK, "").build());
    return List.copyOf(spans);
  }

  private static Span.Builder span(long id, long parent, String service, String name,
      SpanKind kind, long millis) {
    return Span.builder(TRACE_ID, id)
        .parentSpanId(parent)
        .name(name)
        .kind(kind)
        .startTimeUnixNano(T0 + id * MS)
        .endTimeUnixNano(T0 + id * MS + millis * MS)
        .resource(new Resource(Attributes.builder()
            .put(Resource.SERVICE_NAME, service).put("a", 1L).build(), 0));
  }

  private static TraceSearchService search(List<Span> trace) {
    InMemoryStorage store = new InMemoryStorage();
    store.write(trace);
    return new TraceSearchService(store);
  }
}
