package io.strand.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Filters on the hand-built {@link ShopTrace}: which spans each query returns. An empty list
 * means the trace does not match.
 */
class TraceQlEvaluatorTest {

  static List<Long> matchedIds(String query, List<Span> trace) {
    return TraceQl.parse(query).evaluate(trace)
        .map(m -> m.matchedSpans().stream().map(Span::spanId).toList())
        .orElse(List.of());
  }

  private static List<Long> ids(String csv) {
    return csv == null ? List.of()
        : java.util.Arrays.stream(csv.split(" ")).map(Long::parseLong).toList();
  }

  /** Asserts the span ids (space-separated, null for none) a query matches in the shop trace. */
  static void check(String query, String expected) {
    assertThat(matchedIds(query, ShopTrace.spans())).as(query).isEqualTo(ids(expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      "{ } -> 1 2 3 4 5 6 7 8",
      "{ true } -> 1 2 3 4 5 6 7 8",
      "{ false } -> ",
      "{ name = \"Charge\" } -> 7",
      "{ span:name = \"Charge\" } -> 7",
      "{ name != \"Charge\" } -> 1 2 3 4 5 6 8",
      "{ status = error } -> 6 7",
      "{ span:status = ok } -> ",
      "{ status = unset } -> 1 2 3 4 5 8",
      "{ status != error } -> 1 2 3 4 5 8",
      "{ statusMessage = \"card declined\" } -> 7",
      "{ span:statusMessage = \"\" } -> 1 2 3 4 5 6 8",
      "{ kind = client } -> 2 4 5",
      "{ span:kind = internal } -> 8",
      "{ kind != server } -> 2 4 5 8",
      "{ resource.service.name = \"cart\" } -> 3 4",
      "{ resource.\"service.name\" = \"cart\" } -> 3 4",
      "{ .service.name = \"cart\" } -> 3 4",
      "{ !(resource.service.name = \"cart\") } -> 1 2 5 6 7 8",
      "{ resource.service.name = \"frontend\" && kind = client } -> 2 5",
      "{ resource.service.name = \"payment\" || name = \"audit\" } -> 7 8",
      // Tempo precedence: (a || b) && c
      "{ name = \"audit\" || name = \"Charge\" && status = error } -> 7",
      "{ name = \"audit\" || (name = \"Charge\" && status = error) } -> 7 8",
  })
  void intrinsicsAndLogic(String query, String expected) {
    check(query, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      // a missing attribute makes every comparison false, != included
      "{ span.nope = \"x\" } -> ",
      "{ span.nope != \"x\" } -> ",
      "{ span.nope > 1 } -> ",
      "{ !(span.nope = \"x\") } -> 1 2 3 4 5 6 7 8",
      "{ span.nope = nil } -> 1 2 3 4 5 6 7 8",
      "{ span.db.system != nil } -> 4",
      "{ span.db.system = nil } -> 1 2 3 5 6 7 8",
      "{ nil != span.db.system } -> 4",
      "{ span.db.system != \"mysql\" } -> 4",
      // scopes: span, resource, unscoped (span first, then resource)
      "{ span.deployment.environment = \"canary\" } -> 5",
      "{ resource.deployment.environment = \"canary\" } -> ",
      "{ .deployment.environment = \"canary\" } -> 5",
      "{ .deployment.environment = \"production\" } -> 1 2 3 4 6 7 8",
      "{ span.service.name = \"cart\" } -> ",
      // typed values: ints, doubles, booleans, and no cross-type equality
      "{ span.http.response.status_code = 503 } -> 7",
      "{ span.http.response.status_code >= 500 } -> 7",
      "{ span.http.response.status_code < 500 } -> 1",
      "{ span.http.response.status_code = \"503\" } -> ",
      "{ span.http.response.status_code != \"503\" } -> ",
      "{ span.retry = 2.0 } -> 7",
      "{ span.retry > 1.5 } -> 7",
      "{ span.retry < 2.5 && span.retry > 1.99 } -> 7",
      "{ span.ratio = 0.5 } -> 7",
      "{ span.ratio < 1 } -> 7",
      "{ span.ratio > 0 && span.ratio <= 0.5 } -> 7",
      "{ span.ratio = 1 } -> ",
      "{ span.wait_ns > 1ms } -> 7",
      "{ span.wait_ns = 2ms } -> 7",
      "{ span.wait_ns < 2ms } -> ",
      "{ span.cache.hit = true } -> 3",
      "{ span.cache.hit } -> 3",
      "{ !span.cache.hit } -> 1 2 4 5 6 7 8",
      "{ span.cache.hit != false } -> 3",
      "{ span.cache.hit = \"true\" } -> ",
      // strings compare lexicographically
      "{ resource.service.name >= \"cart\" && resource.service.name < \"checkout\" } -> 3 4",
      "{ name > \"a\" } -> 2 5 8",
      // arrays: = and =~ on any element; != and !~ on none
      "{ span.tags = \"a\" } -> 4",
      "{ span.tags = \"z\" } -> ",
      "{ span.tags != \"a\" } -> ",
      "{ span.tags != \"z\" } -> 4",
      "{ span.tags =~ \"b\" } -> 4",
      "{ span.tags !~ \"a|b\" } -> ",
      "{ span.tags !~ \"c\" } -> 4",
      // field against field
      "{ span.retry = span.retry } -> 7",
      "{ span.retry < span.http.response.status_code } -> 7",
  })
  void attributesAndTypes(String query, String expected) {
    check(query, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      // anchored at both ends, as Tempo
      "{ name =~ \"Get\" } -> ",
      "{ name =~ \"Get.*\" } -> 3",
      "{ name =~ \"(?i)get.*\" } -> 1 3",
      "{ name =~ \"call (cart|checkout)\" } -> 2 5",
      "{ name !~ \".*a.*\" } -> 4",
      "{ name !~ \"call.*\" } -> 1 3 4 6 7 8",
      "{ span.nope !~ \"x\" } -> ",
      "{ span.retry =~ \"2\" } -> ",
      "{ event.exception.message =~ \".*declined\" } -> 7",
  })
  void regularExpressions(String query, String expected) {
    check(query, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      "{ duration > 50ms } -> 1 5 6",
      "{ duration >= 50ms } -> 1 5 6 7",
      "{ span:duration = 10ms } -> 2 4",
      "{ duration < 10ms } -> 8",
      "{ duration <= 1ms } -> 8",
      "{ duration > 0.05s } -> 1 5 6",
      "{ duration > 1000000 } -> 1 2 3 4 5 6 7",
      "{ duration > 1.5 } -> 1 2 3 4 5 6 7 8",
      "{ trace:duration = 100ms } -> 1 2 3 4 5 6 7 8",
      "{ traceDuration > 100ms } -> ",
      "{ trace:rootService = \"frontend\" } -> 1 2 3 4 5 6 7 8",
      "{ rootServiceName = \"cart\" } -> ",
      "{ trace:rootName = \"GET /cart\" && resource.service.name = \"cart\" } -> 3 4",
      "{ rootName != \"GET /cart\" } -> ",
      "{ trace:id = \"0000000000000abc0000000000001234\" && kind = internal } -> 8",
      "{ span:id = \"0000000000000007\" } -> 7",
      "{ span:parentID = \"0000000000000006\" } -> 7 8",
      "{ span:parentID = nil } -> 1",
      "{ span:childCount = 0 } -> 4 7 8",
      "{ childCount > 1 } -> 1 6",
      "{ event:name = \"exception\" } -> 7",
      "{ event:name != \"exception\" } -> ",
      "{ event:timeSinceStart = 5ms } -> 7",
      "{ event:timeSinceStart > 5ms } -> ",
      "{ event.exception.message = nil } -> 1 2 3 4 5 6 8",
      "{ link:traceID = \"00000000000000070000000000000008\" } -> 3",
      "{ link:spanID = \"0000000000000009\" } -> 3",
      "{ link.link.kind = \"follows\" } -> 3",
      "{ instrumentation:name = \"io.otel.http\" && instrumentation:version = \"1.2\" } -> 1",
      "{ instrumentation.lang = \"java\" } -> 1",
      "{ instrumentation:name = nil } -> 2 3 4 5 6 7 8",
  })
  void durationsTraceLevelAndScopedIntrinsics(String query, String expected) {
    check(query, expected);
  }
}
