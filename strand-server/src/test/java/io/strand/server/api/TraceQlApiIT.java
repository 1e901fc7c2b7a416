package io.strand.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TraceQL search and autocomplete through Strand's own API and the Tempo API, over three stored
 * traces with known contents.
 */
class TraceQlApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILED = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String HOME = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  private static final String PAY = "cccccccccccccccccccccccccccccccc";
  private static final long MS = 1_000_000L;

  @RegisterExtension static final RunningServer SERVER = new RunningServer();
  static long now;

  @BeforeAll
  static void storeTraces() {
    now = System.currentTimeMillis() * MS;
    post(resource("frontend",
        span(FAILED, 1, 0, "GET /checkout", Span.SpanKind.SPAN_KIND_SERVER, now - 600_000 * MS,
            2_000 * MS, Status.StatusCode.STATUS_CODE_UNSET, 502),
        span(HOME, 1, 0, "GET /home", Span.SpanKind.SPAN_KIND_SERVER, now - 300_000 * MS,
            20 * MS, Status.StatusCode.STATUS_CODE_UNSET, 200)));
    post(resource("checkout",
        span(FAILED, 2, 1, "charge", Span.SpanKind.SPAN_KIND_CLIENT, now - 599_000 * MS,
            1_500 * MS, Status.StatusCode.STATUS_CODE_ERROR, 503),
        span(PAY, 1, 0, "POST /pay", Span.SpanKind.SPAN_KIND_SERVER, now - 120_000 * MS,
            30 * MS, Status.StatusCode.STATUS_CODE_OK, 200)));
  }

  private static void post(ResourceSpans rs) {
    HttpResponse<String> r = TestServers.post(SERVER.get().otlpHttpPort(), "/v1/traces",
        "application/x-protobuf",
        ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build().toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private static ResourceSpans resource(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
  }

  private static Span span(String traceHex, int id, int parent, String name, Span.SpanKind kind,
      long start, long duration, Status.StatusCode status, long httpStatus) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(ByteString.fromHex(traceHex))
        .setSpanId(ByteString.fromHex(String.format("%016x", id)))
        .setName(name).setKind(kind)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration)
        .setStatus(Status.newBuilder().setCode(status))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(httpStatus)));
    if (parent != 0) {
      b.setParentSpanId(ByteString.fromHex(String.format("%016x", parent)));
    }
    return b.build();
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = TestServers.get(SERVER.get().queryPort(), path);
    assertThat(r.statusCode()).as(path + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static String q(String traceQl) {
    return URLEncoder.encode(traceQl, StandardCharsets.UTF_8);
  }

  private static List<String> traceIds(JsonNode result, String idField) {
    List<String> ids = new ArrayList<>();
    result.get("traces").forEach(t -> ids.add(t.get(idField).asText()));
    return ids;
  }

  @Test
  void searchFindsTracesByWhatHappenedInThem() throws Exception {
    JsonNode errors = get("/api/v1/search?q=" + q("{ status = error }"));
    assertThat(traceIds(errors, "traceId")).containsExactly(FAILED);
    JsonNode t = errors.get("traces").get(0);
    assertThat(t.get("rootServiceName").asText()).isEqualTo("frontend");
    assertThat(t.get("rootName").asText()).isEqualTo("GET /checkout");
    assertThat(t.get("spanCount").asInt()).isEqualTo(2);
    assertThat(t.get("errorCount").asInt()).isEqualTo(1);
    assertThat(t.get("services").toString()).isEqualTo("[\"checkout\",\"frontend\"]");
    assertThat(t.get("spans").get(0).get("name").asText()).isEqualTo("charge");
    assertThat(errors.get("truncated").asBoolean()).isFalse();

    assertThat(traceIds(get("/api/v1/search?q=" + q(
        "{ resource.service.name = \"frontend\" } >> { status = error }")), "traceId"))
        .containsExactly(FAILED);
    assertThat(traceIds(get("/api/v1/search?q=" + q("{ span.http.response.status_code = 200 }")),
        "traceId")).containsExactly(PAY, HOME);
    assertThat(traceIds(get("/api/v1/search?q=" + q("{ duration > 1s } | count() > 1")),
        "traceId")).containsExactly(FAILED);
  }

  @Test
  void limitCutsNewestFirstAndSaysSo() throws Exception {
    JsonNode two = get("/api/v1/search?q=" + q("{ }") + "&limit=2");
    assertThat(traceIds(two, "traceId")).containsExactly(PAY, HOME);
    assertThat(two.get("truncated").asBoolean()).isTrue();
    long startSeconds = (now / MS / 1000) - 200;
    assertThat(traceIds(get("/api/v1/search?q=" + q("{ }") + "&start=" + startSeconds),
        "traceId")).containsExactly(PAY);
  }

  @Test
  void badQueriesAreRefusedWithThePosition() throws Exception {
    HttpResponse<String> r = TestServers.get(SERVER.get().queryPort(),
        "/api/v1/search?q=" + q("{ status = }"));
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("position").asInt()).isEqualTo(11);
    assertThat(body.get("error").asText()).contains("position 11");
    assertThat(TestServers.get(SERVER.get().queryPort(), "/api/v1/search?q=%7B%7D&start=xyz")
        .body()).contains("start must be Unix seconds or an RFC 3339 time");
  }

  @Test
  void autocompleteListsTagsAndValues() throws Exception {
    assertThat(get("/api/v1/search/tags?scope=span").get("tags").toString())
        .contains("http.response.status_code");
    assertThat(get("/api/v1/search/tags?scope=resource").get("tags").toString())
        .contains("service.name");
    assertThat(get("/api/v1/search/tags?scope=intrinsic").get("tags").toString())
        .contains("duration", "status");
    assertThat(get("/api/v1/search/tag/resource.service.name/values").get("values").toString())
        .isEqualTo("[\"checkout\",\"frontend\"]");
  }

  @Test
  void tempoApiAnswersWhatGrafanaCalls() throws Exception {
    long end = now / MS / 1000 + 60;
    JsonNode search = get("/tempo/api/search?q=" + q("{ status = error }") + "&start="
        + (end - 3600) + "&end=" + end);
    assertThat(traceIds(search, "traceID")).containsExactly(FAILED);
    JsonNode hit = search.get("traces").get(0);
    assertThat(hit.get("rootTraceName").asText()).isEqualTo("GET /checkout");
    assertThat(hit.get("durationMs").asLong()).as("the child ends after the root").isEqualTo(2500);
    assertThat(hit.get("spanSet").get("matched").asInt()).isEqualTo(1);
    assertThat(hit.get("spanSet").get("spans").get(0).get("durationNanos").asText())
        .isEqualTo(Long.toString(1_500 * MS));
    assertThat(traceIds(get("/tempo/api/search?tags=" + q("service.name=checkout")), "traceID"))
        .containsExactly(PAY, FAILED);

    JsonNode trace = get("/tempo/api/traces/" + FAILED);
    assertThat(trace.get("resourceSpans")).hasSize(2);
    assertThat(get("/tempo/api/v2/traces/" + FAILED).get("status").asText()).isEqualTo("COMPLETE");
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<byte[]> proto = client.send(HttpRequest.newBuilder(TestServers.uri(
          SERVER.get().queryPort(), "/tempo/api/traces/" + FAILED))
          .header("Accept", "application/protobuf").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(ExportTraceServiceRequest.parseFrom(proto.body()).getResourceSpansCount())
          .isEqualTo(2);
    }
    assertThat(TestServers.get(SERVER.get().queryPort(), "/tempo/api/traces/" + "d".repeat(32))
        .statusCode()).isEqualTo(404);

    assertThat(get("/tempo/api/v2/search/tags").get("scopes").toString())
        .contains("\"name\":\"resource\"", "service.name");
    assertThat(get("/tempo/api/search/tags").get("tagNames").toString())
        .contains("http.response.status_code", "service.name");
    List<String> typed = new ArrayList<>();
    get("/tempo/api/v2/search/tag/resource.service.name/values").get("tagValues")
        .forEach(v -> typed.add(v.get("type").asText() + ":" + v.get("value").asText()));
    assertThat(typed).containsExactly("string:checkout", "string:frontend");
    assertThat(get("/tempo/api/search/tag/service.name/values").get("tagValues").toString())
        .isEqualTo("[\"checkout\",\"frontend\"]");
    assertThat(TestServers.get(SERVER.get().queryPort(), "/tempo/api/echo").body())
        .isEqualTo("echo");
    assertThat(TestServers.get(SERVER.get().queryPort(), "/tempo/ready").statusCode())
        .isEqualTo(200);
    assertThat(get("/tempo/api/status/buildinfo").get("version").asText()).startsWith("2.");
    HttpResponse<String> bad = TestServers.get(SERVER.get().queryPort(),
        "/tempo/api/search?q=" + q("{ nope"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).startsWith("invalid TraceQL query");
  }
}
