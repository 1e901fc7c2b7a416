package io.strand.codec.otlp;

import static io.strand.codec.otlp.OtlpFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OtlpProtoDecoderTest {

  private final OtlpProtoDecoder decoder = new OtlpProtoDecoder();

  @Test
  void mapsEveryFieldOfTheRichSpan() {
    DecodedBatch batch = decoder.decode(richRequest().toByteArray());

    assertThat(batch.rejectedSpans()).isZero();
    assertThat(batch.errorMessage()).isNull();
    assertThat(batch.spans()).hasSize(4);
    Span a = batch.spans().get(0);
    assertThat(a.traceId()).isEqualTo(TraceId.fromHex(TRACE_A));
    assertThat(a.spanId()).isEqualTo(SpanId.fromHex(SPAN_A, "a"));
    assertThat(a.parentSpanId()).isEqualTo(SpanId.fromHex(PARENT_A, "p"));
    assertThat(a.traceState()).isEqualTo("vendor=a,other=b");
    assertThat(a.flags()).isEqualTo(0x301);
    assertThat(a.name()).isEqualTo("GET /cart");
    assertThat(a.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(a.startTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(a.endTimeUnixNano()).isEqualTo(1_700_000_000_123_456_789L);
    assertThat(a.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(a.statusMessage()).isEqualTo("boom");
    assertThat(a.droppedAttributesCount()).isEqualTo(3);
    assertThat(a.droppedEventsCount()).isEqualTo(4);
    assertThat(a.droppedLinksCount()).isEqualTo(6);

    Attributes attrs = a.attributes();
    assertThat(attrs.size()).isEqualTo(8);
    assertThat(attrs.get("http.method")).isEqualTo(AttributeValue.of("GET"));
    assertThat(attrs.get("http.ok")).isEqualTo(AttributeValue.of(true));
    assertThat(attrs.get("retries")).isEqualTo(AttributeValue.of(-42L));
    assertThat(attrs.get("big")).isEqualTo(AttributeValue.of(9_007_199_254_740_993L));
    assertThat(attrs.get("ratio")).isEqualTo(AttributeValue.of(3.25));
    assertThat(attrs.get("payload"))
        .isEqualTo(new AttributeValue.BytesValue(new byte[] {0, 1, 2, (byte) 0xff}));
    assertThat(attrs.get("mixed")).isEqualTo(new AttributeValue.ArrayValue(List.of(
        AttributeValue.of("a"), AttributeValue.of(7L), AttributeValue.of(false),
        AttributeValue.of(-0.5),
        new AttributeValue.ArrayValue(List.of(AttributeValue.of("inner"))))));
    assertThat(attrs.get("map")).isEqualTo(new AttributeValue.KeyValueListValue(
        Attributes.builder()
            .put("a", "x")
            .put("b",
                new AttributeValue.KeyValueListValue(Attributes.builder().put("c", 1L).build()))
            .build()));

    assertThat(a.events()).containsExactly(
        new SpanEvent(1_700_000_000_000_000_500L, "cache miss",
            Attributes.builder().put("key", "cart:42").build(), 1),
        new SpanEvent(1_700_000_000_000_000_900L, "retry", Attributes.EMPTY, 0));
    assertThat(a.links()).containsExactly(new SpanLink(TraceId.fromHex(LINK_TRACE),
        SpanId.fromHex(LINK_SPAN, "l"), "k=v",
        Attributes.builder().put("link.kind", "follows").build(), 5, 1));

    assertThat(a.resource().attributes().get("service.name"))
        .isEqualTo(AttributeValue.of("checkout"));
    assertThat(a.resource().attributes().get("host.ip"))
        .isEqualTo(new AttributeValue.ArrayValue(List.of(AttributeValue.of("10.0.0.1"))));
    assertThat(a.resource().attributes().get("build.id"))
        .isEqualTo(new AttributeValue.BytesValue(new byte[] {(byte) 0xca, (byte) 0xfe}));
    assertThat(a.resource().droppedAttributesCount()).isEqualTo(1);
    assertThat(a.scope()).isEqualTo(new InstrumentationScope("io.strand.http", "1.2.3",
        Attributes.builder().put("scope.attr", "x").build(), 2));
  }

  @Test
  void rootSpansAndKindsAndOkStatus() {
    List<Span> spans = decoder.decode(richRequest().toByteArray()).spans();

    assertThat(spans.get(1).isRoot()).isTrue();
    assertThat(spans.get(1).kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(spans.get(1).statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(spans.get(2).parentSpanId()).isEqualTo(spans.get(0).spanId());
    assertThat(spans.get(2).kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(spans.get(3).kind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(spans.get(3).statusCode()).isEqualTo(StatusCode.OK);
    assertThat(spans.get(3).serviceName()).isEqualTo("payments");
  }

  @Test
  void sharesOneResourcePerResourceSpansAndOneScopePerScopeSpans() {
    List<Span> spans = decoder.decode(richRequest().toByteArray()).spans();

    assertThat(spans.get(0).resource())
        .isSameAs(spans.get(1).resource())
        .isSameAs(spans.get(2).resource());
    assertThat(spans.get(3).resource()).isNotEqualTo(spans.get(0).resource());
    assertThat(spans.get(0).scope()).isSameAs(spans.get(1).scope());
    assertThat(spans.get(2).scope()).isNotEqualTo(spans.get(0).scope());
    assertThat(spans.get(2).scope().name()).isEqualTo("db");
  }

  @Test
  void fromRequestEqualsDecodingTheBytes() {
    assertThat(decoder.fromRequest(richRequest()).spans())
        .isEqualTo(decoder.decode(richRequest().toByteArray()).spans());
  }

  @Test
  void missingResourceAndScopeGiveTheEmptyOnes() {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(minimalSpan(SPAN_A))))
        .build();

    Span span = decoder.fromRequest(request).spans().get(0);

    assertThat(span.resource()).isSameAs(Resource.EMPTY);
    assertThat(span.scope()).isSameAs(InstrumentationScope.EMPTY);
    assertThat(span.serviceName()).isEqualTo(Resource.UNKNOWN_SERVICE);
  }

  @Test
  void emptyBodyIsAnEmptyBatch() {
    DecodedBatch batch = decoder.decode(new byte[0]);

    assertThat(batch.spans()).isEmpty();
    assertThat(batch.rejectedSpans()).isZero();
  }

  static Stream<Arguments> invalidIds() {
    io.opentelemetry.proto.trace.v1.Span valid = minimalSpan(SPAN_A);
    return Stream.of(
        Arguments.of(valid.toBuilder().setTraceId(ByteString.copyFrom(new byte[15])),
            "traceId must be 16 bytes, got 15"),
        Arguments.of(valid.toBuilder().setTraceId(ByteString.EMPTY),
            "traceId must be 16 bytes, got 0"),
        Arguments.of(valid.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])),
            "traceId must not be all zeros"),
        Arguments.of(valid.toBuilder().setSpanId(ByteString.copyFrom(new byte[4])),
            "spanId must be 8 bytes, got 4"),
        Arguments.of(valid.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])),
            "spanId must not be all zeros"),
        Arguments.of(valid.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[3])),
            "parentSpanId must be 8 bytes, got 3"),
        Arguments.of(valid.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[8])),
            "parentSpanId must not be all zeros"));
  }

  @ParameterizedTest
  @MethodSource("invalidIds")
  void rejectsSpansWithInvalidIdsAndKeepsTheOthers(
      io.opentelemetry.proto.trace.v1.Span.Builder invalid, String expectedError) {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(minimalSpan(SPAN_B)))
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(minimalSpan(SPAN_C))
                .addSpans(minimalSpan(SPAN_D))
                .addSpans(minimalSpan(SPAN_A))
                .addSpans(invalid)
                .addSpans(invalid)))
        .build();

    DecodedBatch batch = decoder.decode(request.toByteArray());

    assertThat(batch.spans()).extracting(Span::spanId).containsExactly(
        SpanId.fromHex(SPAN_B, "b"), SpanId.fromHex(SPAN_C, "c"), SpanId.fromHex(SPAN_D, "d"),
        SpanId.fromHex(SPAN_A, "a"));
    assertThat(batch.rejectedSpans()).isEqualTo(2);
    assertThat(batch.isPartial()).isTrue();
    assertThat(batch.errorMessage())
        .isEqualTo("span 3 of resourceSpans[0].scopeSpans[1]: " + expectedError);
  }

  @Test
  void dropsLinksWithInvalidIdsAndCountsThem() {
    io.opentelemetry.proto.trace.v1.Span span = minimalSpan(SPAN_A).toBuilder()
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(id(LINK_TRACE)).setSpanId(ByteString.copyFrom(new byte[8])))
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(id(LINK_TRACE)).setSpanId(id(LINK_SPAN)))
        .addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[3])).setSpanId(id(LINK_SPAN)))
        .setDroppedLinksCount(1)
        .build();

    Span decoded = decoder.fromRequest(request(span)).spans().get(0);

    assertThat(decoded.links()).hasSize(1);
    assertThat(decoded.links().get(0).spanId()).isEqualTo(SpanId.fromHex(LINK_SPAN, "l"));
    assertThat(decoded.droppedLinksCount()).isEqualTo(3);
  }

  @Test
  void skipsValuesWithNoKindSet() {
    io.opentelemetry.proto.trace.v1.Span span = minimalSpan(SPAN_A).toBuilder()
        .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
        .addAttributes(kv("list", array(str("a"), AnyValue.getDefaultInstance(), str("b"))))
        .addAttributes(kv("kept", str("yes")))
        .build();

    Attributes attrs = decoder.fromRequest(request(span)).spans().get(0).attributes();

    assertThat(attrs.asMap()).containsOnlyKeys("list", "kept");
    assertThat(attrs.get("list")).isEqualTo(new AttributeValue.ArrayValue(
        List.of(AttributeValue.of("a"), AttributeValue.of("b"))));
  }

  @Test
  void acceptsValuesNestedThirtyTwoLevelsDeep() {
    io.opentelemetry.proto.trace.v1.Span span =
        minimalSpan(SPAN_A).toBuilder().addAttributes(kv("deep", nested(32))).build();

    AttributeValue v =
        decoder.decode(request(span).toByteArray()).spans().get(0).attributes().get("deep");

    int depth = 1;
    while (v instanceof AttributeValue.ArrayValue a) {
      v = a.values().get(0);
      depth++;
    }
    assertThat(depth).isEqualTo(32);
    assertThat(v).isEqualTo(AttributeValue.of("leaf"));
  }

  @Test
  void rejectsValuesNestedDeeperThanThirtyTwoLevels() {
    io.opentelemetry.proto.trace.v1.Span span = minimalSpan(SPAN_A).toBuilder()
        .addAttributes(kv("deep", kvlist(kv("k", nested(32)))))
        .build();

    assertThatThrownBy(() -> decoder.decode(request(span).toByteArray()))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("limit of 32 levels");
  }

  @Test
  void malformedProtobufThrowsCodecException() {
    byte[] truncated = {0x0a, 0x05, 0x12, 0x01};

    assertThatThrownBy(() -> decoder.decode(truncated))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("malformed OTLP protobuf: ")
        .hasMessageContaining("truncated");
  }

  @Test
  void garbageThrowsCodecException() {
    byte[] garbage = "{\"resourceSpans\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> decoder.decode(garbage))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("malformed OTLP protobuf: ");
  }

  static io.opentelemetry.proto.trace.v1.Span minimalSpan(String spanIdHex) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(id(TRACE_A))
        .setSpanId(id(spanIdHex))
        .setName("op")
        .build();
  }

  static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }
}
