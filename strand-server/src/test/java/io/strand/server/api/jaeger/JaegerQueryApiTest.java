package io.strand.server.api.jaeger;

import static io.strand.server.api.search.SearchFixture.CART;
import static io.strand.server.api.search.SearchFixture.CHARGE;
import static io.strand.server.api.search.SearchFixture.CHECKOUT;
import static io.strand.server.api.search.SearchFixture.OLD;
import static io.strand.server.api.search.TestSpans.CLOCK;
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

/** Jaeger's query API over the in-memory store, with "now" fixed. */
class JaegerQueryApiTest {

  private final JaegerQueryApi api = new JaegerQueryApi(SearchFixture.store(), CLOCK);

  private List<String> traceIds(String... namesAndValues) {
    AggregatedHttpResponse r = aggregate(api.traces(params(namesAndValues)));
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(r).get("data").forEach(t -> ids.add(t.get("traceID").asText()));
    return ids;
  }

  private static String hex(TraceId id) {
    return id.toHex();
  }

  @Test
  void servicesAndOperations() {
    JsonNode services = json(aggregate(api.services()));
    assertThat(services.toString()).isEqualTo("{\"data\":[\"auth\",\"billing\",\"shop\"],"
        + "\"total\":3,\"limit\":0,\"offset\":0,\"errors\":null}");
    assertThat(json(aggregate(api.serviceOperations("shop"))).get("data").toString())
        .isEqualTo("[\"GET /Cart\",\"POST /checkout\",\"call auth\",\"get /cart\"]");
    JsonNode ops = json(aggregate(api.operations(params("service", "shop"))));
    assertThat(ops.get("total").asInt()).isEqualTo(4);
    assertThat(ops.get("data").get(2).toString())
        .isEqualTo("{\"name\":\"call auth\",\"spanKind\":\"client\"}");
    assertThat(json(aggregate(api.operations(params("service", "shop", "spanKind", "client"))))
        .get("data").toString()).isEqualTo("[{\"name\":\"call auth\",\"spanKind\":\"client\"}]");
  }

  @Test
  void operationsNeedAServiceAndAKnownKind() {
    AggregatedHttpResponse r = aggregate(api.operations(params()));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(json(r).toString()).isEqualTo("{\"data\":null,\"total\":0,\"limit\":0,"
        + "\"offset\":0,\"errors\":[{\"code\":400,\"msg\":\"parameter 'service' is required\"}]}");
    assertThat(json(aggregate(api.operations(params("service", "shop", "spanKind", "rpc"))))
        .get("errors").get(0).get("msg").asText()).startsWith("unsupported span kind 'rpc'");
  }

  @Test
  void searchesWithinTheDefaultTwoDaysNewestFirst() {
    assertThat(traceIds("service", "shop"))
        .containsExactly(hex(CHECKOUT), hex(CART), hex(OLD));
    assertThat(traceIds("service", "shop", "lookback", "1h"))
        .containsExactly(hex(CHECKOUT), hex(CART));
    assertThat(traceIds("service", "shop", "limit", "1")).containsExactly(hex(CHECKOUT));
    assertThat(traceIds("service", "Shop")).as("Jaeger compares names exactly").isEmpty();
  }

  @Test
  void searchesByOperationTagsAndDuration() {
    assertThat(traceIds("service", "shop", "operation", "get /cart")).containsExactly(hex(OLD));
    assertThat(traceIds("service", "shop", "tags", "{\"error\":\"true\"}"))
        .containsExactly(hex(CHECKOUT));
    assertThat(traceIds("service", "auth", "tags", "{\"error\":\"true\"}"))
        .containsExactly(hex(CART));
    assertThat(traceIds("service", "shop", "tags", "{\"span.kind\":\"client\"}"))
        .containsExactly(hex(CART));
    assertThat(traceIds("service", "shop", "tag", "peer.service:auth")).containsExactly(hex(CART));
    assertThat(traceIds("service", "billing", "tags", "{\"tier\":\"gold\"}"))
        .containsExactly(hex(CHARGE));
    assertThat(traceIds("service", "shop", "minDuration", "1.5s")).containsExactly(hex(CHECKOUT));
    assertThat(traceIds("service", "shop", "maxDuration", "100ms"))
        .containsExactly(hex(CART), hex(OLD));
    assertThat(traceIds("service", "shop", "minDuration", "200ms", "maxDuration", "1s"))
        .containsExactly(hex(CART));
  }

  @Test
  void searchByTraceIdsReportsTheMissingOnes() {
    JsonNode body = json(aggregate(api.traces(params(
        "traceID", hex(CART), "traceID", "0000000000000bad"))));
    assertThat(body.get("data")).hasSize(1);
    assertThat(body.get("errors").toString())
        .isEqualTo("[{\"msg\":\"trace not found\",\"traceID\":\"0000000000000bad\"}]");
  }

  @Test
  void oneTraceOr404() {
    JsonNode body = json(aggregate(api.trace(hex(CART))));
    JsonNode trace = body.get("data").get(0);
    assertThat(trace.get("spans")).hasSize(3);
    assertThat(trace.get("processes")).hasSize(2);
    AggregatedHttpResponse missing = aggregate(api.trace("0000000000000bad"));
    assertThat(missing.status().code()).isEqualTo(404);
    assertThat(json(missing).toString()).isEqualTo("{\"data\":null,\"total\":0,\"limit\":0,"
        + "\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}");
    AggregatedHttpResponse bad = aggregate(api.trace("xyz"));
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(json(bad).get("errors").get(0).get("msg").asText())
        .contains("non-hex character 'x'");
  }

  @Test
  void badSearchParametersAre400s() {
    AggregatedHttpResponse r = aggregate(api.traces(params("service", "shop",
        "minDuration", "fast")));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(json(r).get("errors").get(0).get("msg").asText())
        .isEqualTo("unable to parse param 'minDuration': invalid duration \"fast\"");
  }
}
