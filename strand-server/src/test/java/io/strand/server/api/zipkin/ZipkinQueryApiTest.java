package io.strand.server.api.zipkin;

import static io.strand.server.api.search.SearchFixture.CART;
import static io.strand.server.api.search.SearchFixture.CHARGE;
import static io.strand.server.api.search.SearchFixture.CHECKOUT;
import static io.strand.server.api.search.SearchFixture.OLD;
import static io.strand.server.api.search.TestSpans.CLOCK;
import static io.strand.server.api.search.TestSpans.NOW_MILLIS;
import static io.strand.server.api.search.TestSpans.aggregate;
import static io.strand.server.api.search.TestSpans.json;
import static io.strand.server.api.search.TestSpans.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import io.strand.model.TraceId;
import io.strand.server.api.search.SearchFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Zipkin v2 search endpoints over the in-memory store, with "now" fixed. */
class ZipkinQueryApiTest {
  private static final String TWO_DAYS = Long.toString(2 * 86_400_000L);

  private final ZipkinQueryApi api = new ZipkinQueryApi(SearchFixture.store(), CLOCK);

  /** Trace ids of a /traces answer, in order, checking each trace is a list of Zipkin spans. */
  private List<String> traceIds(String... namesAndValues) {
    AggregatedHttpResponse r = aggregate(api.traces(params(namesAndValues)));
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode trace : json(r)) {
      assertThat(trace.isArray()).isTrue();
      String id = trace.get(0).get("traceId").asText();
      trace.forEach(span -> assertThat(span.get("traceId").asText()).isEqualTo(id));
      ids.add(id);
    }
    return ids;
  }

  private static String hex(TraceId id) {
    return id.toHex();
  }

  @Test
  void searchesByServiceNewestFirstWithinTheDefaultDay() {
    assertThat(traceIds("serviceName", "shop")).containsExactly(hex(CHECKOUT), hex(CART));
    assertThat(traceIds("serviceName", "SHOP")).containsExactly(hex(CHECKOUT), hex(CART));
    assertThat(traceIds()).containsExactly(hex(CHARGE), hex(CHECKOUT), hex(CART));
  }

  @Test
  void spanNamesCompareIgnoringCase() {
    assertThat(traceIds("serviceName", "shop", "spanName", "get /cart", "lookback", TWO_DAYS))
        .containsExactly(hex(CART), hex(OLD));
  }

  @Test
  void remoteServiceName() {
    assertThat(traceIds("remoteServiceName", "auth")).containsExactly(hex(CART));
    assertThat(traceIds("serviceName", "billing", "remoteServiceName", "auth")).isEmpty();
  }

  @Test
  void annotationQueries() {
    assertThat(traceIds("annotationQuery", "error")).containsExactly(hex(CHECKOUT), hex(CART));
    assertThat(traceIds("annotationQuery", "error=denied")).containsExactly(hex(CART));
    assertThat(traceIds("annotationQuery", "retried")).containsExactly(hex(CART));
    assertThat(traceIds("annotationQuery", "error and http.method=POST"))
        .containsExactly(hex(CHECKOUT));
    assertThat(traceIds("annotationQuery", "tier=gold")).containsExactly(hex(CHARGE));
    assertThat(traceIds("annotationQuery", "http.method=GET and retried"))
        .as("one span must satisfy every term").isEmpty();
  }

  @Test
  void durationsInMicroseconds() {
    assertThat(traceIds("minDuration", "1000000")).containsExactly(hex(CHECKOUT));
    assertThat(traceIds("serviceName", "auth", "maxDuration", "60000"))
        .containsExactly(hex(CART));
    assertThat(traceIds("maxDuration", "10000")).containsExactly(hex(CHARGE));
    assertThat(traceIds("minDuration", "5000", "maxDuration", "5000"))
        .containsExactly(hex(CHARGE));
  }

  @Test
  void endTsAndLookbackBoundTheWindow() {
    String hourAgo = Long.toString(NOW_MILLIS - 3_600_000L);
    assertThat(traceIds("endTs", hourAgo, "lookback", TWO_DAYS)).containsExactly(hex(OLD));
    assertThat(traceIds("lookback", "180000")).containsExactly(hex(CHARGE));
  }

  @Test
  void limit() {
    assertThat(traceIds("limit", "1")).containsExactly(hex(CHARGE));
    assertThat(traceIds("serviceName", "shop", "limit", "1")).containsExactly(hex(CHECKOUT));
  }

  @Test
  void badParametersAre400sNamingThem() {
    AggregatedHttpResponse r = aggregate(api.traces(params("minDuration", "1ms")));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).isEqualTo("minDuration must be a whole number, got '1ms'");
    assertThat(aggregate(api.traces(params("limit", "x"))).contentUtf8())
        .isEqualTo("limit must be a whole number, got 'x'");
  }

  @Test
  void traceManyReturnsKnownTracesInTheOrderAsked() {
    AggregatedHttpResponse r = aggregate(api.traceMany(params("traceIds",
        hex(CHECKOUT) + "," + "00000000000000000000000000000bad" + "," + hex(CART))));
    assertThat(r.status().code()).isEqualTo(200);
    JsonNode traces = json(r);
    assertThat(traces).hasSize(2);
    assertThat(traces.get(0).get(0).get("traceId").asText()).isEqualTo(hex(CHECKOUT));
    assertThat(traces.get(1)).hasSize(3);
    AggregatedHttpResponse bad = aggregate(api.traceMany(params("traceIds", hex(CART) + ",xyz")));
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(bad.contentUtf8()).startsWith("traceIds: 'xyz' is not a trace id");
    assertThat(aggregate(api.traceMany(params())).contentUtf8())
        .isEqualTo("traceIds is required");
  }

  @Test
  void remoteServicesOfAService() {
    assertThat(json(aggregate(api.remoteServices(params("serviceName", "shop")))).toString())
        .isEqualTo("[\"auth\"]");
    assertThat(json(aggregate(api.remoteServices(params("serviceName", "auth")))).toString())
        .isEqualTo("[]");
    AggregatedHttpResponse r = aggregate(api.remoteServices(params()));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).isEqualTo("serviceName is required");
  }

  @Test
  void spanNamesOfAServiceIgnoreCase() {
    assertThat(json(aggregate(api.spans(params("serviceName", "Shop")))).toString())
        .isEqualTo("[\"GET /Cart\",\"POST /checkout\",\"call auth\",\"get /cart\"]");
  }

  @Test
  void autocomplete() {
    assertThat(json(aggregate(api.autocompleteKeys())).toString()).isEqualTo("[]");
    assertThat(json(aggregate(api.autocompleteValues(params("key", "http.method")))).toString())
        .isEqualTo("[\"GET\",\"POST\"]");
    assertThat(json(aggregate(api.autocompleteValues(params("key", "service.name")))).toString())
        .as("resource attributes count too; the 30 hour old trace is out of the hour")
        .isEqualTo("[\"auth\",\"billing\",\"shop\"]");
    assertThat(aggregate(api.autocompleteValues(params())).status().code()).isEqualTo(400);
  }
}
