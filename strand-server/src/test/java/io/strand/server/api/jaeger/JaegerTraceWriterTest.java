package io.strand.server.api.jaeger;

import static io.strand.server.api.search.TestSpans.aggregate;
import static io.strand.server.api.search.TestSpans.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaegerTraceWriterTest {
  private static final TraceId TRACE = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
  private static final TraceId OTHER = TraceId.fromHex("00000000000000000000000000000abc");
  private static final long START = 1_700_000_000_123_456_789L;

  private static final Resource SHOP = new Resource(Attributes.builder()
      .put("service.name", "shop").put("host.name", "h1").put("pid", 42L).build(), 0);
  private static final Resource AUTH = Resource.ofService("auth");

  private static List<Span> trace() {
    Span root = Span.builder(TRACE, 0x1111)
        .flags(0x301) // sampled, plus OTLP's has-remote/is-remote bits
        .name("GET /cart").kind(SpanKind.SERVER)
        .startTimeUnixNano(START).endTimeUnixNano(START + 250_000_999L)
        .status(StatusCode.OK, "")
        .traceState("vendor=abc")
        .scope(new InstrumentationScope("io.opentelemetry.http", "2.10.0", null, 0))
        .attributes(Attributes.builder()
            .put("http.method", "GET")
            .put("cached", true)
            .put("http.status_code", 200L)
            .put("big", 1L << 60)
            .put("ratio", 0.5)
            .put("nan", Double.NaN)
            .put("payload", new AttributeValue.BytesValue(new byte[] {0, 1, (byte) 0xff}))
            .put("list", new AttributeValue.ArrayValue(
                List.of(AttributeValue.of("a\"b"), AttributeValue.of(2L))))
            .put("map", new AttributeValue.KeyValueListValue(
                Attributes.builder().put("k", "v").build()))
            .build())
        .resource(SHOP)
        .build();
    Span child = Span.builder(TRACE, 0x2222).parentSpanId(0x1111)
        .name("check").kind(SpanKind.CLIENT)
        .startTimeUnixNano(START + 1_000).endTimeUnixNano(START + 51_000_000L)
        .status(StatusCode.ERROR, "denied")
        .events(List.of(
            new SpanEvent(START + 2_000_000L, "retry",
                Attributes.builder().put("attempt", 2L).build(), 0),
            new SpanEvent(START + 3_000_000L, "", null, 0)))
        .links(List.of(
            new SpanLink(OTHER, 0x3333, "", null, 0, 0),
            new SpanLink(TRACE, 0x1111, "",
                Attributes.builder().put("opentracing.ref_type", "follows_from").build(), 0, 0),
            new SpanLink(OTHER, 0x4444, "",
                Attributes.builder().put("opentracing.ref_type", "child_of").build(), 0, 0)))
        .resource(AUTH)
        .build();
    Span sibling = Span.builder(TRACE, 0x5555).parentSpanId(0x1111).name("render")
        .startTimeUnixNano(START + 2_000).endTimeUnixNano(START + 3_000)
        .resource(SHOP)
        .build();
    return List.of(root, child, sibling);
  }

  private static JsonNode write(List<Span> spans) {
    return json(aggregate(JaegerResponses.traces(List.of(spans), List.of())));
  }

  private static Map<String, JsonNode> tags(JsonNode tags) {
    Map<String, JsonNode> out = new HashMap<>();
    tags.forEach(t -> out.put(t.get("key").asText(), t));
    return out;
  }

  @Test
  void envelopeAndTraceShape() {
    JsonNode body = write(trace());
    assertThat(body.get("total").asInt()).isZero();
    assertThat(body.get("limit").asInt()).isZero();
    assertThat(body.get("offset").asInt()).isZero();
    assertThat(body.get("errors").isNull()).isTrue();
    JsonNode t = body.get("data").get(0);
    assertThat(t.get("traceID").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(t.get("warnings").isNull()).isTrue();
    assertThat(t.get("spans")).hasSize(3);
    assertThat(t.get("processes").toString()).isEqualTo("{"
        + "\"p1\":{\"serviceName\":\"shop\",\"tags\":["
        + "{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"h1\"},"
        + "{\"key\":\"pid\",\"type\":\"int64\",\"value\":42}]},"
        + "\"p2\":{\"serviceName\":\"auth\",\"tags\":[]}}");
  }

  @Test
  void rootSpanFieldsAndTagTypes() {
    JsonNode root = write(trace()).get("data").get(0).get("spans").get(0);
    assertThat(root.get("traceID").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(root.get("spanID").asText()).isEqualTo("0000000000001111");
    assertThat(root.get("flags").asInt()).isEqualTo(1);
    assertThat(root.get("operationName").asText()).isEqualTo("GET /cart");
    assertThat(root.get("references")).isEmpty();
    assertThat(root.get("startTime").asLong()).isEqualTo(1_700_000_000_123_456L);
    assertThat(root.get("duration").asLong()).isEqualTo(250_000L);
    assertThat(root.get("processID").asText()).isEqualTo("p1");
    assertThat(root.get("logs")).isEmpty();
    assertThat(root.get("warnings").isNull()).isTrue();
    assertThat(root.get("tags").get(0).get("key").asText()).isEqualTo("otel.scope.name");
    Map<String, JsonNode> tags = tags(root.get("tags"));
    assertThat(tags.get("otel.scope.version").get("value").asText()).isEqualTo("2.10.0");
    assertThat(tags.get("http.method").toString())
        .isEqualTo("{\"key\":\"http.method\",\"type\":\"string\",\"value\":\"GET\"}");
    assertThat(tags.get("cached").toString())
        .isEqualTo("{\"key\":\"cached\",\"type\":\"bool\",\"value\":true}");
    assertThat(tags.get("http.status_code").toString())
        .isEqualTo("{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":200}");
    assertThat(tags.get("big").toString())
        .isEqualTo("{\"key\":\"big\",\"type\":\"int64\",\"value\":\"1152921504606846976\"}");
    assertThat(tags.get("ratio").toString())
        .isEqualTo("{\"key\":\"ratio\",\"type\":\"float64\",\"value\":0.5}");
    assertThat(tags.get("nan").get("value").asText()).isEqualTo("NaN");
    assertThat(tags.get("payload").toString())
        .isEqualTo("{\"key\":\"payload\",\"type\":\"binary\",\"value\":\"AAH/\"}");
    assertThat(tags.get("list").get("type").asText()).isEqualTo("string");
    assertThat(tags.get("list").get("value").asText()).isEqualTo("[\"a\\\"b\",2]");
    assertThat(tags.get("map").get("value").asText()).isEqualTo("{\"k\":\"v\"}");
    assertThat(tags.get("span.kind").get("value").asText()).isEqualTo("server");
    assertThat(tags.get("otel.status_code").get("value").asText()).isEqualTo("OK");
    assertThat(tags).doesNotContainKeys("error", "otel.status_description");
    assertThat(tags.get("w3c.tracestate").get("value").asText()).isEqualTo("vendor=abc");
  }

  @Test
  void errorStatusReferencesAndLogs() {
    JsonNode child = write(trace()).get("data").get(0).get("spans").get(1);
    assertThat(child.has("flags")).as("no flags, no field").isFalse();
    assertThat(child.get("processID").asText()).isEqualTo("p2");
    assertThat(child.get("duration").asLong()).isEqualTo(50_999L);
    assertThat(child.get("references").toString()).isEqualTo("["
        + "{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanID\":\"0000000000001111\"},"
        + "{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"0000000000000abc\","
        + "\"spanID\":\"0000000000003333\"},"
        + "{\"refType\":\"CHILD_OF\",\"traceID\":\"0000000000000abc\","
        + "\"spanID\":\"0000000000004444\"}]");
    Map<String, JsonNode> tags = tags(child.get("tags"));
    assertThat(tags.get("error").toString())
        .isEqualTo("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
    assertThat(tags.get("otel.status_code").get("value").asText()).isEqualTo("ERROR");
    assertThat(tags.get("otel.status_description").get("value").asText()).isEqualTo("denied");
    assertThat(tags.get("span.kind").get("value").asText()).isEqualTo("client");
    assertThat(child.get("logs").toString()).isEqualTo("["
        + "{\"timestamp\":1700000000125456,\"fields\":["
        + "{\"key\":\"event\",\"type\":\"string\",\"value\":\"retry\"},"
        + "{\"key\":\"attempt\",\"type\":\"int64\",\"value\":2}]},"
        + "{\"timestamp\":1700000000126456,\"fields\":[]}]");
  }

  @Test
  void aParentIsAChildOfReferenceAndUnspecifiedKindHasNoTag() {
    JsonNode sibling = write(trace()).get("data").get(0).get("spans").get(2);
    assertThat(sibling.get("processID").asText()).as("same resource, same process")
        .isEqualTo("p1");
    assertThat(sibling.get("references").toString()).isEqualTo("[{\"refType\":\"CHILD_OF\","
        + "\"traceID\":\"5b8efff798038103d269b633813fc60c\",\"spanID\":\"0000000000001111\"}]");
    assertThat(tags(sibling.get("tags"))).isEmpty();
  }

  @Test
  void sixtyFourBitTraceIdsHaveSixteenDigits() {
    Span s = Span.builder(OTHER, 1).name("x").resource(AUTH).build();
    JsonNode t = write(List.of(s)).get("data").get(0);
    assertThat(t.get("traceID").asText()).isEqualTo("0000000000000abc");
    assertThat(t.get("spans").get(0).get("traceID").asText()).isEqualTo("0000000000000abc");
    assertThat(JaegerIds.parse("abc")).isEqualTo(OTHER);
    assertThat(JaegerIds.parse("0000000000000abc")).isEqualTo(OTHER);
  }
}
