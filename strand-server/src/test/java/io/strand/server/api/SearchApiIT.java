package io.strand.server.api;

import static io.strand.server.api.SearchFixtureRequests.CART;
import static io.strand.server.api.SearchFixtureRequests.CART_CLIENT;
import static io.strand.server.api.SearchFixtureRequests.CART_ROOT;
import static io.strand.server.api.SearchFixtureRequests.CHARGE;
import static io.strand.server.api.SearchFixtureRequests.CHECKOUT;
import static io.strand.server.api.SearchFixtureRequests.LEGACY;
import static io.strand.server.api.SearchFixtureRequests.OLD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Zipkin v2 search endpoints and the Jaeger query API of a running server, over a known set
 * of traces sent over OTLP/HTTP and Zipkin (see {@link SearchFixtureRequests}).
 */
class SearchApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TWO_DAYS_MILLIS = Long.toString(2 * 86_400_000L);

  @RegisterExtension static final RunningServer SERVER = new RunningServer();

  private static long nowMillis;

  @BeforeAll
  static void storeTraces() {
    nowMillis = System.currentTimeMillis();
    SearchFixtureRequests fixture = new SearchFixtureRequests(nowMillis);
    assertThat(TestServers.post(SERVER.get().otlpHttpPort(), "/v1/traces",
        "application/x-protobuf", fixture.otlp().toByteArray()).statusCode()).isEqualTo(200);
    assertThat(TestServers.post(SERVER.get().zipkinPort(), "/api/v2/spans", "application/json",
        fixture.zipkinJson()).statusCode()).isEqualTo(202);
  }

  /** {@code path?k=v&...} with the values URL-encoded. */
  private static String path(String path, String... namesAndValues) {
    StringBuilder sb = new StringBuilder(path);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      sb.append(i == 0 ? '?' : '&').append(namesAndValues[i]).append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8)
              .replace("+", "%20"));
    }
    return sb.toString();
  }

  private static JsonNode json(int port, String path, int status) throws Exception {
    HttpResponse<String> r = TestServers.get(port, path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  /** Trace ids a Zipkin /traces search answers, in order. */
  private static List<String> zipkin(String... params) throws Exception {
    JsonNode traces = json(SERVER.get().zipkinPort(), path("/api/v2/traces", params), 200);
    List<String> ids = new ArrayList<>();
    for (JsonNode trace : traces) {
      String id = trace.get(0).get("traceId").asText();
      assertThat(trace).allSatisfy(s -> assertThat(s.get("traceId").asText()).isEqualTo(id));
      ids.add(id);
    }
    return ids;
  }

  /** Trace ids a Jaeger /traces search answers, in order. */
  private static List<String> jaeger(String... params) throws Exception {
    JsonNode body = json(SERVER.get().queryPort(), path("/jaeger/api/traces", params), 200);
    assertThat(body.get("errors").isNull()).isTrue();
    List<String> ids = new ArrayList<>();
    body.get("data").forEach(t -> ids.add(t.get("traceID").asText()));
    return ids;
  }

  private static String minutesAgoMillis(long minutes) {
    return Long.toString(nowMillis - minutes * 60_000L);
  }

  // ---- Zipkin v2 ----

  @Test
  void zipkinTracesByServiceOnBothPortsNewestFirst() throws Exception {
    assertThat(zipkin("serviceName", "shop")).containsExactly(CHECKOUT, CART);
    JsonNode viaQueryPort = json(SERVER.get().queryPort(),
        path("/zipkin/api/v2/traces", "serviceName", "shop"), 200);
    assertThat(viaQueryPort).hasSize(2);
    JsonNode cart = viaQueryPort.get(1);
    assertThat(cart).hasSize(3);
    JsonNode check = StreamSupport.stream(cart.spliterator(), false)
        .filter(s -> s.get("name").asText().equals("check")).findFirst().orElseThrow();
    assertThat(check.get("localEndpoint").get("serviceName").asText()).isEqualTo("auth");
    assertThat(check.get("tags").get("error").asText()).isEqualTo("denied");
    assertThat(check.get("duration").asLong()).isEqualTo(50_000L);
  }

  @Test
  void zipkinSpanNameIgnoresCase() throws Exception {
    assertThat(zipkin("serviceName", "shop", "spanName", "get /cart",
        "lookback", TWO_DAYS_MILLIS)).containsExactly(CART, OLD);
    assertThat(zipkin("spanName", "GET /LEGACY")).containsExactly(LEGACY);
  }

  @Test
  void zipkinRemoteServiceName() throws Exception {
    assertThat(zipkin("remoteServiceName", "auth")).containsExactly(CART);
    assertThat(zipkin("serviceName", "legacy", "remoteServiceName", "db"))
        .containsExactly(LEGACY);
    assertThat(json(SERVER.get().zipkinPort(),
        path("/api/v2/remoteServices", "serviceName", "shop"), 200).toString())
        .isEqualTo("[\"auth\"]");
    assertThat(TestServers.get(SERVER.get().zipkinPort(), "/api/v2/remoteServices").body())
        .isEqualTo("serviceName is required");
  }

  @Test
  void zipkinAnnotationQuery() throws Exception {
    assertThat(zipkin("annotationQuery", "error")).containsExactly(LEGACY, CHECKOUT, CART);
    assertThat(zipkin("annotationQuery", "error=timeout")).containsExactly(LEGACY);
    assertThat(zipkin("annotationQuery", "error=denied")).containsExactly(CART);
    assertThat(zipkin("annotationQuery", "retried")).containsExactly(CART);
    assertThat(zipkin("annotationQuery", "cache.miss")).containsExactly(LEGACY);
    assertThat(zipkin("annotationQuery", "error and http.method=POST"))
        .containsExactly(CHECKOUT);
    assertThat(zipkin("annotationQuery", "http.method=GET and retried"))
        .as("one span must satisfy every term").isEmpty();
    assertThat(zipkin("serviceName", "billing", "annotationQuery", "tier=gold"))
        .containsExactly(CHARGE);
  }

  @Test
  void zipkinDurationsInMicroseconds() throws Exception {
    assertThat(zipkin("minDuration", "1000000")).containsExactly(CHECKOUT);
    assertThat(zipkin("maxDuration", "10000")).containsExactly(CHARGE);
    assertThat(zipkin("serviceName", "auth", "minDuration", "50000", "maxDuration", "50000"))
        .containsExactly(CART);
  }

  @Test
  void zipkinEndTsLookbackAndLimit() throws Exception {
    assertThat(zipkin("endTs", minutesAgoMillis(60), "lookback", TWO_DAYS_MILLIS))
        .containsExactly(OLD);
    assertThat(zipkin("lookback", "210000")).containsExactly(CHARGE, LEGACY);
    assertThat(zipkin("limit", "1")).containsExactly(CHARGE);
    assertThat(zipkin("serviceName", "shop", "limit", "1")).containsExactly(CHECKOUT);
    HttpResponse<String> bad = TestServers.get(SERVER.get().zipkinPort(),
        path("/api/v2/traces", "lookback", "1h"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("lookback must be a whole number, got '1h'");
  }

  @Test
  void zipkinTraceMany() throws Exception {
    JsonNode traces = json(SERVER.get().zipkinPort(), path("/api/v2/traceMany",
        "traceIds", CHARGE + ",00000000000000000000000000000bad," + CART), 200);
    assertThat(traces).hasSize(2);
    assertThat(traces.get(0).get(0).get("traceId").asText()).isEqualTo(CHARGE);
    assertThat(traces.get(1)).hasSize(3);
    assertThat(TestServers.get(SERVER.get().zipkinPort(),
        path("/api/v2/traceMany", "traceIds", "nothex")).statusCode()).isEqualTo(400);
  }

  @Test
  void zipkinAutocomplete() throws Exception {
    int port = SERVER.get().zipkinPort();
    assertThat(json(port, "/api/v2/autocompleteKeys", 200).toString()).isEqualTo("[]");
    assertThat(json(port, path("/api/v2/autocompleteValues", "key", "http.method"), 200)
        .toString()).isEqualTo("[\"GET\",\"POST\"]");
  }

  // ---- Jaeger ----

  @Test
  void jaegerServicesAndOperations() throws Exception {
    int port = SERVER.get().queryPort();
    assertThat(json(port, "/jaeger/api/services", 200).toString()).isEqualTo(
        "{\"data\":[\"auth\",\"billing\",\"legacy\",\"shop\"],\"total\":4,\"limit\":0,"
            + "\"offset\":0,\"errors\":null}");
    assertThat(json(port, "/jaeger/api/services/shop/operations", 200).get("data").toString())
        .isEqualTo("[\"GET /Cart\",\"POST /checkout\",\"call auth\",\"get /cart\"]");
    JsonNode servers = json(port,
        path("/jaeger/api/operations", "service", "shop", "spanKind", "server"), 200);
    assertThat(servers.get("data").toString()).isEqualTo("["
        + "{\"name\":\"GET /Cart\",\"spanKind\":\"server\"},"
        + "{\"name\":\"POST /checkout\",\"spanKind\":\"server\"},"
        + "{\"name\":\"get /cart\",\"spanKind\":\"server\"}]");
    assertThat(servers.get("total").asInt()).isEqualTo(3);
    assertThat(json(port, "/jaeger/api/operations", 400).get("errors").get(0).get("msg")
        .asText()).isEqualTo("parameter 'service' is required");
  }

  @Test
  void jaegerSearchWindowAndLimit() throws Exception {
    assertThat(jaeger("service", "shop")).containsExactly(CHECKOUT, CART, OLD);
    assertThat(jaeger("service", "shop", "lookback", "1h")).containsExactly(CHECKOUT, CART);
    assertThat(jaeger("service", "shop", "limit", "1")).containsExactly(CHECKOUT);
    long nowMicros = nowMillis * 1_000L;
    assertThat(jaeger("service", "shop", "start", Long.toString(nowMicros - 7 * 60_000_000L),
        "end", Long.toString(nowMicros))).containsExactly(CHECKOUT);
  }

  @Test
  void jaegerSearchByOperationTagsAndDurations() throws Exception {
    assertThat(jaeger("service", "shop", "operation", "GET /Cart")).containsExactly(CART);
    assertThat(jaeger("service", "shop", "tags", "{\"error\":\"true\"}"))
        .containsExactly(CHECKOUT);
    assertThat(jaeger("service", "auth", "tags", "{\"error\":\"true\"}")).containsExactly(CART);
    assertThat(jaeger("service", "legacy", "tags", "{\"error\":\"true\"}"))
        .as("a Zipkin error tag is the status").containsExactly(LEGACY);
    assertThat(jaeger("service", "shop", "tags",
        "{\"http.method\":\"GET\",\"http.status_code\":\"200\"}")).containsExactly(CART);
    assertThat(jaeger("service", "shop", "tags", "{\"host.name\":\"shop-1\"}"))
        .as("process tags are searched too").containsExactly(CHECKOUT, CART, OLD);
    assertThat(jaeger("service", "shop", "minDuration", "1.5s")).containsExactly(CHECKOUT);
    assertThat(jaeger("service", "shop", "maxDuration", "100ms")).containsExactly(CART, OLD);
    assertThat(jaeger("service", "shop", "minDuration", "200ms", "maxDuration", "1s"))
        .containsExactly(CART);
    JsonNode bad = json(SERVER.get().queryPort(),
        path("/jaeger/api/traces", "service", "shop", "minDuration", "soon"), 400);
    assertThat(bad.get("errors").get(0).get("msg").asText())
        .isEqualTo("unable to parse param 'minDuration': invalid duration \"soon\"");
  }

  @Test
  void jaegerTraceShape() throws Exception {
    JsonNode body = json(SERVER.get().queryPort(), "/jaeger/api/traces/" + CART, 200);
    JsonNode trace = body.get("data").get(0);
    assertThat(trace.get("traceID").asText()).isEqualTo(CART);
    Map<String, JsonNode> spans = new HashMap<>();
    trace.get("spans").forEach(s -> spans.put(s.get("operationName").asText(), s));
    assertThat(spans).containsOnlyKeys("GET /Cart", "call auth", "check");

    JsonNode processes = trace.get("processes");
    JsonNode root = spans.get("GET /Cart");
    JsonNode shop = processes.get(root.get("processID").asText());
    assertThat(shop.get("serviceName").asText()).isEqualTo("shop");
    assertThat(shop.get("tags").toString()).isEqualTo("["
        + "{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"shop-1\"},"
        + "{\"key\":\"process.pid\",\"type\":\"int64\",\"value\":42}]");
    JsonNode check = spans.get("check");
    assertThat(processes.get(check.get("processID").asText()).get("serviceName").asText())
        .isEqualTo("auth");
    assertThat(processes).hasSize(2);

    assertThat(root.get("spanID").asText()).isEqualTo(CART_ROOT);
    assertThat(root.get("flags").asInt()).isEqualTo(1);
    assertThat(root.get("references")).isEmpty();
    assertThat(root.get("duration").asLong()).isEqualTo(300_000L);
    assertThat(root.get("startTime").asLong())
        .isEqualTo((nowMillis - 10 * 60_000L) * 1_000L);
    Map<String, JsonNode> rootTags = tags(root);
    assertThat(rootTags.get("http.status_code").toString())
        .isEqualTo("{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":200}");
    assertThat(rootTags.get("cache.hit").toString())
        .isEqualTo("{\"key\":\"cache.hit\",\"type\":\"bool\",\"value\":false}");
    assertThat(rootTags.get("ratio").toString())
        .isEqualTo("{\"key\":\"ratio\",\"type\":\"float64\",\"value\":0.25}");
    assertThat(rootTags.get("payload").toString())
        .isEqualTo("{\"key\":\"payload\",\"type\":\"binary\",\"value\":\"AAH/\"}");
    assertThat(rootTags.get("span.kind").get("value").asText()).isEqualTo("server");
    assertThat(rootTags.get("otel.scope.name").get("value").asText())
        .isEqualTo("io.opentelemetry.http");
    assertThat(rootTags).doesNotContainKey("error");

    JsonNode client = spans.get("call auth");
    assertThat(client.get("references").toString()).isEqualTo("[{\"refType\":\"CHILD_OF\","
        + "\"traceID\":\"" + CART + "\",\"spanID\":\"" + CART_ROOT + "\"}]");
    assertThat(client.get("logs").get(0).get("fields").toString()).isEqualTo("["
        + "{\"key\":\"event\",\"type\":\"string\",\"value\":\"retried\"},"
        + "{\"key\":\"attempt\",\"type\":\"int64\",\"value\":2}]");
    assertThat(tags(client).get("peer.service").get("value").asText()).isEqualTo("auth");

    assertThat(check.get("references").get(0).get("spanID").asText()).isEqualTo(CART_CLIENT);
    Map<String, JsonNode> checkTags = tags(check);
    assertThat(checkTags.get("error").toString())
        .isEqualTo("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
    assertThat(checkTags.get("otel.status_code").get("value").asText()).isEqualTo("ERROR");
    assertThat(checkTags.get("otel.status_description").get("value").asText())
        .isEqualTo("denied");
  }

  @Test
  void jaegerLinksAreFollowsFromReferences() throws Exception {
    JsonNode span = json(SERVER.get().queryPort(), "/jaeger/api/traces/" + CHECKOUT, 200)
        .get("data").get(0).get("spans").get(0);
    assertThat(span.get("references").toString()).isEqualTo("[{\"refType\":\"FOLLOWS_FROM\","
        + "\"traceID\":\"" + CART + "\",\"spanID\":\"" + CART_ROOT + "\"}]");
  }

  @Test
  void jaegerUnknownAndMalformedTraceIds() throws Exception {
    int port = SERVER.get().queryPort();
    assertThat(json(port, "/jaeger/api/traces/00000000000000000000000000000bad", 404).toString())
        .isEqualTo("{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,"
            + "\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}");
    assertThat(json(port, "/jaeger/api/traces/not-an-id", 400).get("errors").get(0)
        .get("code").asInt()).isEqualTo(400);
  }

  private static Map<String, JsonNode> tags(JsonNode span) {
    Map<String, JsonNode> out = new HashMap<>();
    span.get("tags").forEach(t -> out.put(t.get("key").asText(), t));
    return out;
  }
}
