package io.strand.codec.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpRoundTripTest {

  private final OtlpProtoEncoder protoEncoder = new OtlpProtoEncoder();
  private final OtlpProtoDecoder protoDecoder = new OtlpProtoDecoder();
  private final OtlpJsonEncoder jsonEncoder = new OtlpJsonEncoder();
  private final OtlpJsonDecoder jsonDecoder = new OtlpJsonDecoder();

  @Test
  void modelToProtoToModel() {
    List<Span> spans = richModelSpans();

    ExportTraceServiceRequest request = protoEncoder.encode(spans);

    assertThat(protoDecoder.decode(request.toByteArray()).spans()).isEqualTo(spans);
  }

  @Test
  void modelToJsonToModel() {
    List<Span> spans = richModelSpans();

    byte[] json = jsonEncoder.encode(spans);

    assertThat(jsonDecoder.decode(json).spans()).isEqualTo(spans);
  }

  @Test
  void protoToModelToProto() {
    ExportTraceServiceRequest request = OtlpFixtures.richRequest();

    List<Span> spans = protoDecoder.fromRequest(request).spans();

    assertThat(protoEncoder.encode(spans)).isEqualTo(request);
  }

  @Test
  void jsonEncoderAgreesWithTheProtobufForm() {
    List<Span> fromProto = protoDecoder.fromRequest(OtlpFixtures.richRequest()).spans();

    byte[] json = jsonEncoder.encode(fromProto);

    assertThat(jsonDecoder.decode(json).spans()).isEqualTo(fromProto);
  }

  @Test
  void encodersGroupByResourceThenScopeInOrderOfFirstAppearance() {
    List<Span> spans = richModelSpans();
    List<Span> interleaved = List.of(spans.get(0), spans.get(3), spans.get(2), spans.get(1));

    ExportTraceServiceRequest request = protoEncoder.encode(interleaved);

    assertThat(request.getResourceSpansCount()).isEqualTo(2);
    assertThat(request.getResourceSpans(0).getScopeSpansCount()).isEqualTo(2);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
    assertThat(protoDecoder.fromRequest(request).spans())
        .containsExactly(spans.get(0), spans.get(1), spans.get(2), spans.get(3));
    assertThat(jsonDecoder.decode(jsonEncoder.encode(interleaved)).spans())
        .containsExactly(spans.get(0), spans.get(1), spans.get(2), spans.get(3));
  }

  @Test
  void equalButDistinctResourcesAreGroupedTogether() {
    Span a = richModelSpans().get(0);
    Resource copy = new Resource(
        Attributes.builder().putAll(a.resource().attributes()).build(),
        a.resource().droppedAttributesCount());
    Span b = a.toBuilder().spanId(99).resource(copy).build();

    ExportTraceServiceRequest request = protoEncoder.encode(List.of(a, b));

    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
  }

  @Test
  void jsonEncoderWritesTheOtlpJsonShape() {
    String json = new String(jsonEncoder.encode(richModelSpans()), StandardCharsets.UTF_8);

    assertThat(json)
        .startsWith("{\"resourceSpans\":[{\"resource\":{\"attributes\":[")
        .contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"")
        .contains("\"spanId\":\"eee19b7ec3c1b174\"")
        .contains("\"parentSpanId\":\"eee19b7ec3c1b173\"")
        .contains("\"kind\":2")
        .contains("\"startTimeUnixNano\":\"1544712660000000000\"")
        .contains("\"intValue\":\"-9223372036854775808\"")
        .contains("\"doubleValue\":\"NaN\"")
        .contains("\"doubleValue\":\"-Infinity\"")
        .contains("\"bytesValue\":\"3q2+7w==\"")
        .contains("\"status\":{\"message\":\"deadline exceeded\",\"code\":2}")
        .contains("\"flags\":4294967295")
        .doesNotContain("\"traceState\":\"\"");
  }

  @Test
  void emptyListEncodesToAnEmptyRequest() {
    assertThat(new String(jsonEncoder.encode(List.of()), StandardCharsets.UTF_8))
        .isEqualTo("{\"resourceSpans\":[]}");
    assertThat(protoEncoder.encode(List.of()))
        .isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  /** Spans over two resources and three scopes using every model field and value kind. */
  static List<Span> richModelSpans() {
    Resource frontend = new Resource(Attributes.builder()
        .put("service.name", "frontend")
        .put("host.ip", new AttributeValue.ArrayValue(List.of(AttributeValue.of("10.1.2.3"))))
        .put("weird key \"quoted\" ü", "value\nwith\tcontrol \u0001 chars")
        .build(), 7);
    Resource backend = Resource.ofService("backend");
    InstrumentationScope http = new InstrumentationScope("io.strand.http", "2.0",
        Attributes.builder().put("scope.flag", true).build(), 1);
    InstrumentationScope db = new InstrumentationScope("db", "", Attributes.EMPTY, 0);
    TraceId traceId = TraceId.fromHex("5b8efff798038103d269b633813fc60c");

    List<AttributeValue> mixed = new ArrayList<>();
    mixed.add(AttributeValue.of("s"));
    mixed.add(AttributeValue.of(Long.MAX_VALUE));
    mixed.add(AttributeValue.of(1e-300));
    mixed.add(new AttributeValue.KeyValueListValue(Attributes.builder().put("in", false).build()));
    Attributes all = Attributes.builder()
        .put("string", "héllo ✓")
        .put("empty", "")
        .put("bool", false)
        .put("long", Long.MIN_VALUE)
        .put("double", 0.1)
        .put("nan", Double.NaN)
        .put("negInf", Double.NEGATIVE_INFINITY)
        .put("bytes", new AttributeValue.BytesValue(
            new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}))
        .put("emptyBytes", new AttributeValue.BytesValue(new byte[0]))
        .put("array", new AttributeValue.ArrayValue(mixed))
        .put("emptyArray", new AttributeValue.ArrayValue(List.of()))
        .put("kvlist", new AttributeValue.KeyValueListValue(Attributes.builder()
            .put("nested", new AttributeValue.ArrayValue(List.of(AttributeValue.of(1L))))
            .build()))
        .put("emptyKvlist", new AttributeValue.KeyValueListValue(Attributes.EMPTY))
        .build();

    Span server = Span.builder(traceId, SpanId.fromHex("eee19b7ec3c1b174", "s"))
        .parentSpanId(SpanId.fromHex("eee19b7ec3c1b173", "p"))
        .traceState("rojo=00f067aa0ba902b7")
        .flags(-1)
        .name("GET /api/items")
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(1_544_712_660_000_000_000L)
        .endTimeUnixNano(1_544_712_661_000_000_000L)
        .status(StatusCode.ERROR, "deadline exceeded")
        .attributes(all)
        .droppedAttributesCount(-1)
        .events(List.of(
            new SpanEvent(1_544_712_660_500_000_000L, "exception",
                Attributes.builder().put("exception.type", "java.io.IOException").build(), 2),
            new SpanEvent(0, "", Attributes.EMPTY, 0)))
        .droppedEventsCount(3)
        .links(List.of(
            new SpanLink(TraceId.fromHex("00000000000000000000000000000001"), Long.MIN_VALUE, "a=b",
                Attributes.builder().put("link", 1.5).build(), 4, 0x101),
            new SpanLink(traceId, 1, "", Attributes.EMPTY, 0, 0)))
        .droppedLinksCount(5)
        .resource(frontend)
        .scope(http)
        .build();
    Span client = Span.builder(traceId, SpanId.fromHex("eee19b7ec3c1b175", "c"))
        .parentSpanId(server.spanId())
        .name("fetch")
        .kind(SpanKind.CLIENT)
        .startTimeUnixNano(-1) // fixed64 above 2^63 - 1
        .endTimeUnixNano(-1)
        .status(StatusCode.OK, "")
        .resource(frontend)
        .scope(http)
        .build();
    Span query = Span.builder(traceId, 0xffff_ffff_ffff_ffffL)
        .parentSpanId(client.spanId())
        .name("SELECT")
        .kind(SpanKind.UNSPECIFIED)
        .status(StatusCode.UNSET, "message without code")
        .resource(frontend)
        .scope(db)
        .build();
    Span consumer = Span.builder(TraceId.fromHex("ffffffffffffffffffffffffffffffff"), 42)
        .name("consume")
        .kind(SpanKind.CONSUMER)
        .startTimeUnixNano(5)
        .endTimeUnixNano(6)
        .resource(backend)
        .scope(InstrumentationScope.EMPTY)
        .build();
    return List.of(server, client, query, consumer);
  }
}
