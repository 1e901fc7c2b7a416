package io.strand.server.api;

import static io.strand.server.OtlpRequests.id;
import static io.strand.server.OtlpRequests.request;
import static io.strand.server.OtlpRequests.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.server.StrandServer;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Services, operations and the Zipkin read API on both ports, over stored OTLP spans. */
class ReadApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final RunningServer SERVER = new RunningServer();

  @BeforeAll
  static void startAndStore() {
    byte[] trace = id(16, 0x42);
    HttpResponse<String> r = TestServers.post(SERVER.get().otlpHttpPort(), "/v1/traces",
        "application/x-protobuf", request("cart", span(trace, id(8, 1), "GET /cart"),
            span(trace, id(8, 2), "POST /cart")).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestServers.post(SERVER.get().otlpHttpPort(), "/v1/traces", "application/x-protobuf",
        request("auth", span(trace, id(8, 3), "check")).toByteArray()).statusCode())
        .isEqualTo(200);
  }


  private static JsonNode json(int port, String path) throws Exception {
    HttpResponse<String> r = TestServers.get(port, path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  @Test
  void ownApiListsServicesAndOperations() throws Exception {
    assertThat(json(SERVER.get().queryPort(), "/api/v1/services").get("services").toString())
        .isEqualTo("[\"auth\",\"cart\"]");
    JsonNode ops = json(SERVER.get().queryPort(), "/api/v1/services/cart/operations");
    assertThat(ops.get("service").asText()).isEqualTo("cart");
    assertThat(ops.get("operations").toString()).isEqualTo("[{\"name\":\"GET /cart\","
        + "\"kind\":\"SERVER\"},{\"name\":\"POST /cart\",\"kind\":\"SERVER\"}]");
    assertThat(json(SERVER.get().queryPort(), "/api/v1/services/nobody/operations")
        .get("operations").size()).isZero();
  }

  @Test
  void ownTraceJsonHasTheDocumentedShape() throws Exception {
    JsonNode trace = json(SERVER.get().queryPort(),
        "/api/v1/traces/42424242424242424242424242424242");
    assertThat(trace.get("traceId").asText()).isEqualTo("42424242424242424242424242424242");
    assertThat(trace.get("spans")).hasSize(3);
    JsonNode s = trace.get("spans").get(0);
    assertThat(s.get("spanId").asText()).hasSize(16);
    assertThat(s.get("durationNanos").asLong()).isEqualTo(100_000_000L);
    assertThat(s.get("status").get("code").asText()).isEqualTo("UNSET");
    assertThat(s.has("parentSpanId")).as("roots have no parent id").isFalse();
    assertThat(s.get("resource").get("service.name").asText()).isIn("cart", "auth");
  }

  @Test
  void zipkinReadApiAnswersOnBothPorts() throws Exception {
    for (String prefix : new String[] {"", "/zipkin"}) {
      int port = prefix.isEmpty() ? SERVER.get().zipkinPort() : SERVER.get().queryPort();
      assertThat(json(port, prefix + "/api/v2/services").toString())
          .isEqualTo("[\"auth\",\"cart\"]");
      assertThat(json(port, prefix + "/api/v2/spans?serviceName=cart").toString())
          .isEqualTo("[\"GET /cart\",\"POST /cart\"]");
      assertThat(TestServers.get(port, prefix + "/api/v2/spans").statusCode()).isEqualTo(400);
      assertThat(json(port, prefix + "/api/v2/trace/42424242424242424242424242424242"))
          .hasSize(3);
      assertThat(TestServers.get(port, prefix + "/api/v2/trace/42424242424242424242424242424243")
          .statusCode()).isEqualTo(404);
    }
  }

  @Test
  void readyReportsStoreAndReceivers() throws Exception {
    JsonNode ready = json(SERVER.get().queryPort(), "/ready");
    assertThat(ready.get("status").asText()).isEqualTo("READY");
    assertThat(ready.get("receivers").asText()).isEqualTo("listening");
    assertThat(json(SERVER.get().queryPort(), "/health").get("status").asText()).isEqualTo("UP");
  }
}
