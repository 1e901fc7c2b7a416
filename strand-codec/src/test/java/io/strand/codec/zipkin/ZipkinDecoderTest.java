package io.strand.codec.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinDecoderTest {

  private final ZipkinDecoder decoder = new ZipkinDecoder();

  /** A Zipkin span using every field. */
  static zipkin2.Span richZipkinSpan() {
    return zipkin2.Span.newBuilder()
        .traceId("463ac35c9f6413ad48485a3953bb6124")
        .parentId("a2fb4a1d1a96d312")
        .id("48485a3953bb6124")
        .kind(zipkin2.Span.Kind.SERVER)
        .name("get /api")
        .timestamp(1_544_712_660_000_001L)
        .duration(1_234L)
        .localEndpoint(Endpoint.newBuilder()
            .serviceName("frontend").ip("10.0.0.1").ip("2001:db8::c001").port(8080).build())
        .remoteEndpoint(Endpoint.newBuilder()
            .serviceName("backend").ip("192.168.99.101").port(9000).build())
        .addAnnotation(1_544_712_660_000_100L, "wr")
        .addAnnotation(1_544_712_660_000_900L, "ws")
        .putTag("http.method", "GET")
        .putTag("http.path", "/api")
        .putTag("error", "timeout")
        .putTag("otel.status_code", "ERROR")
        .shared(true)
        .debug(true)
        .build();
  }

  @Test
  void mapsEveryFieldOfARichJsonSpan() {
    byte[] json = SpanBytesEncoder.JSON_V2.encodeList(List.of(richZipkinSpan()));

    DecodedBatch batch = decoder.decodeJson(json);

    assertThat(batch.rejectedSpans()).isZero();
    Span span = batch.spans().get(0);
    assertThat(span.traceId()).isEqualTo(TraceId.fromHex("463ac35c9f6413ad48485a3953bb6124"));
    assertThat(span.spanId()).isEqualTo(SpanId.fromHex("48485a3953bb6124", "id"));
    assertThat(span.parentSpanId()).isEqualTo(SpanId.fromHex("a2fb4a1d1a96d312", "parent"));
    assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.name()).isEqualTo("get /api");
    assertThat(span.startTimeUnixNano()).isEqualTo(1_544_712_660_000_001_000L);
    assertThat(span.endTimeUnixNano()).isEqualTo(1_544_712_660_001_235_000L);
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEqualTo("timeout");
    assertThat(span.attributes().asMap()).isEqualTo(Map.of(
        "peer.service", AttributeValue.of("backend"),
        "net.peer.ip", AttributeValue.of("192.168.99.101"),
        "net.peer.port", AttributeValue.of(9000L),
        "http.method", AttributeValue.of("GET"),
        "http.path", AttributeValue.of("/api"),
        "zipkin.shared", AttributeValue.of(true),
        "zipkin.debug", AttributeValue.of(true)));
    assertThat(span.events()).containsExactly(
        new SpanEvent(1_544_712_660_000_100_000L, "wr", Attributes.EMPTY, 0),
        new SpanEvent(1_544_712_660_000_900_000L, "ws", Attributes.EMPTY, 0));
    assertThat(span.resource().attributes()).isEqualTo(Attributes.builder()
        .put("service.name", "frontend")
        .put("host.ip", new AttributeValue.ArrayValue(
            List.of(AttributeValue.of("10.0.0.1"), AttributeValue.of("2001:db8::c001"))))
        .put("net.host.port", 8080L)
        .build());
    assertThat(span.scope()).isSameAs(InstrumentationScope.EMPTY);
    assertThat(span.links()).isEmpty();
  }

  @Test
  void proto3GivesTheSameSpansAsJson() {
    List<zipkin2.Span> spans =
        List.of(richZipkinSpan(), minimal("1").build(), minimal("2").build());

    DecodedBatch fromProto = decoder.decodeProto3(SpanBytesEncoder.PROTO3.encodeList(spans));

    assertThat(fromProto.rejectedSpans()).isZero();
    assertThat(fromProto.spans())
        .hasSize(3)
        .isEqualTo(decoder.decodeJson(SpanBytesEncoder.JSON_V2.encodeList(spans)).spans());
  }

  @Test
  void absentKindIsInternalAndAbsentEndpointsGiveEmptyResourceAndNoPeerAttributes() {
    Span span = decodeOne(minimal("1").build());

    assertThat(span.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.resource()).isSameAs(Resource.EMPTY);
    assertThat(span.attributes().isEmpty()).isTrue();
    assertThat(span.isRoot()).isTrue();
    assertThat(span.statusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void mapsEveryKind() {
    for (zipkin2.Span.Kind kind : zipkin2.Span.Kind.values()) {
      assertThat(decodeOne(minimal("1").kind(kind).build()).kind().name()).isEqualTo(kind.name());
    }
  }

  @Test
  void errorTagBecomesErrorStatusWithTheTagAsMessage() {
    Span span = decodeOne(minimal("1").putTag("error", "connection refused").build());

    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEqualTo("connection refused");
    assertThat(span.attributes().get("error")).isNull();
  }

  @Test
  void emptyErrorTagIsAnErrorWithoutMessage() {
    Span span = decodeOne(minimal("1").putTag("error", "").build());

    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEmpty();
  }

  @Test
  void falseErrorTagIsDropped() {
    Span span = decodeOne(minimal("1").putTag("error", "false").build());

    assertThat(span.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.attributes().isEmpty()).isTrue();
  }

  @Test
  void otelStatusTagsBecomeStatus() {
    Span ok = decodeOne(minimal("1").putTag("otel.status_code", "OK").build());
    Span error = decodeOne(minimal("2")
        .putTag("otel.status_code", "ERROR").putTag("otel.status_description", "quota").build());
    Span unknown = decodeOne(minimal("3").putTag("otel.status_code", "MAYBE").build());

    assertThat(ok.statusCode()).isEqualTo(StatusCode.OK);
    assertThat(ok.attributes().isEmpty()).isTrue();
    assertThat(error.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(error.statusMessage()).isEqualTo("quota");
    assertThat(error.attributes().isEmpty()).isTrue();
    assertThat(unknown.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(unknown.attributes().get("otel.status_code")).isEqualTo(AttributeValue.of("MAYBE"));
  }

  @Test
  void scopeAndDroppedCountTagsBecomeModelFields() {
    List<Span> spans = decoder.fromZipkin(List.of(
        minimal("1").putTag("otel.scope.name", "io.http").putTag("otel.scope.version", "1.0")
            .putTag("otel.library.name", "io.http").putTag("otel.library.version", "1.0")
            .putTag("otel.dropped_attributes_count", "3").putTag("otel.dropped_events_count", "4")
            .putTag("otel.dropped_links_count", "5").build(),
        minimal("2").putTag("otel.library.name", "io.http").putTag("otel.library.version", "1.0")
            .putTag("otel.dropped_links_count", "many").build())).spans();

    Span first = spans.get(0);
    assertThat(first.scope())
        .isEqualTo(new InstrumentationScope("io.http", "1.0", Attributes.EMPTY, 0));
    assertThat(first.droppedAttributesCount()).isEqualTo(3);
    assertThat(first.droppedEventsCount()).isEqualTo(4);
    assertThat(first.droppedLinksCount()).isEqualTo(5);
    assertThat(first.attributes().isEmpty()).isTrue();
    assertThat(spans.get(1).scope()).isSameAs(first.scope());
    assertThat(spans.get(1).attributes().get("otel.dropped_links_count"))
        .isEqualTo(AttributeValue.of("many"));
  }

  @Test
  void sharesOneResourcePerDistinctLocalEndpoint() {
    Endpoint frontend = Endpoint.newBuilder().serviceName("frontend").ip("10.0.0.1").build();
    Endpoint backend = Endpoint.newBuilder().serviceName("backend").build();
    List<Span> spans = decoder.fromZipkin(List.of(
        minimal("1").localEndpoint(frontend).build(),
        minimal("2").localEndpoint(backend).build(),
        minimal("3").localEndpoint(frontend.toBuilder().build()).build())).spans();

    assertThat(spans.get(0).resource()).isSameAs(spans.get(2).resource());
    assertThat(spans.get(1).resource()).isNotEqualTo(spans.get(0).resource());
    assertThat(spans.get(0).serviceName()).isEqualTo("frontend");
    assertThat(spans.get(1).serviceName()).isEqualTo("backend");
    assertThat(spans.get(1).resource().attributes().size()).isEqualTo(1);
  }

  @Test
  void remoteIpv6GoesToNetPeerIpUnlessThereIsAnIpv4() {
    Span v6 = decodeOne(minimal("1")
        .remoteEndpoint(Endpoint.newBuilder().ip("2001:db8::1").build()).build());
    Span both = decodeOne(minimal("2")
        .remoteEndpoint(Endpoint.newBuilder().ip("10.0.0.2").ip("2001:db8::2").build()).build());

    assertThat(v6.attributes().asMap())
        .isEqualTo(Map.of("net.peer.ip", AttributeValue.of("2001:db8::1")));
    assertThat(both.attributes().asMap()).isEqualTo(Map.of(
        "net.peer.ip", AttributeValue.of("10.0.0.2"),
        "net.sock.peer.addr", AttributeValue.of("2001:db8::2")));
  }

  @Test
  void explicitPeerServiceTagWinsOverTheRemoteEndpoint() {
    Span span = decodeOne(minimal("1")
        .remoteEndpoint(Endpoint.newBuilder().serviceName("from-endpoint").build())
        .putTag("peer.service", "from-tag")
        .build());

    assertThat(span.attributes().get("peer.service")).isEqualTo(AttributeValue.of("from-tag"));
  }

  @Test
  void sixtyFourBitTraceIdsAreWidened() {
    Span span = decodeOne(zipkin2.Span.newBuilder().traceId("48485a3953bb6124").id("1").build());

    assertThat(span.traceId()).isEqualTo(new TraceId(0, 0x48485a3953bb6124L));
  }

  @Test
  void rejectsJsonSpansZipkinRejectsAndKeepsTheOthers() {
    String json = """
        [{"traceId":"463ac35c9f6413ad","id":"0000000000000001","name":"a"},
         {"traceId":"00000000000000000000000000000000","id":"0000000000000002","name":"b"},
         {"traceId":"463ac35c9f6413ad","id":"0000000000000003","name":"c"},
         {"traceId":"zz","id":"0000000000000004"},
         42,
         {"traceId":"463ac35c9f6413ad","name":"no id"}]""";

    DecodedBatch batch = decoder.decodeJson(json.getBytes(StandardCharsets.UTF_8));

    assertThat(batch.spans()).extracting(Span::name).containsExactly("a", "c");
    assertThat(batch.rejectedSpans()).isEqualTo(4);
    assertThat(batch.errorMessage()).isEqualTo("span 1: traceId is all zeros");
  }

  @Test
  void rejectsProto3SpansZipkinRejectsAndKeepsTheOthers() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(SpanBytesEncoder.PROTO3.encode(minimal("1").name("a").build()));
    // ListOfSpans.spans { trace_id: 8 zero bytes, id: 8 bytes }
    byte[] badSpan = {0x0a, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a, 0x08, 0, 0, 0, 0, 0, 0, 0, 9};
    body.write(0x0a);
    body.write(badSpan.length);
    body.writeBytes(badSpan);
    body.writeBytes(SpanBytesEncoder.PROTO3.encode(minimal("2").name("b").build()));

    DecodedBatch batch = decoder.decodeProto3(body.toByteArray());

    assertThat(batch.spans()).extracting(Span::name).containsExactly("a", "b");
    assertThat(batch.rejectedSpans()).isEqualTo(1);
    assertThat(batch.errorMessage()).isEqualTo("span 1: traceId is all zeros");
  }

  @Test
  void emptyListsAreEmptyBatches() {
    assertThat(decoder.decodeJson("[]".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(DecodedBatch.EMPTY);
    assertThat(decoder.decodeProto3(new byte[0])).isEqualTo(DecodedBatch.EMPTY);
  }

  @Test
  void malformedJsonThrowsCodecException() {
    assertThatThrownBy(() -> decoder.decodeJson(
            "[{\"traceId\":\"463ac35c9f6413ad\"".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("malformed Zipkin JSON at line 1 column ")
        .hasMessageContaining("end-of-input");
    assertThatThrownBy(() -> decoder.decodeJson("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CodecException.class)
        .hasMessage(
            "malformed Zipkin JSON at line 1 column 1: expected a JSON array of spans, got {");
  }

  @Test
  void malformedProto3ThrowsCodecException() {
    assertThatThrownBy(() -> decoder.decodeProto3(new byte[] {0x0a, 0x05, 0x01}))
        .isInstanceOf(CodecException.class)
        .hasMessageStartingWith("malformed Zipkin proto3: ");
  }

  private Span decodeOne(zipkin2.Span span) {
    DecodedBatch batch = decoder.decodeJson(SpanBytesEncoder.JSON_V2.encodeList(List.of(span)));
    assertThat(batch.rejectedSpans()).isZero();
    return batch.spans().get(0);
  }

  @Test
  void timesPastWhatNanosecondsHoldAreRejectedNotWrapped() {
    long year9999 = 253_402_300_799_000_000L;
    byte[] json = SpanBytesEncoder.JSON_V2.encodeList(List.of(
        minimal("1").timestamp(year9999).duration(1L).build(),
        minimal("2").timestamp(1_700_000_000_000_000L).duration(Long.MAX_VALUE / 100).build(),
        minimal("3").timestamp(1_700_000_000_000_000L).duration(5L).build()));
    DecodedBatch batch = decoder.decodeJson(json);
    assertThat(batch.rejectedSpans()).isEqualTo(2);
    assertThat(batch.errorMessage()).contains("span 0", "timestamp", "out of range");
    assertThat(batch.spans()).singleElement()
        .satisfies(s -> assertThat(s.startTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L));
  }

  static zipkin2.Span.Builder minimal(String id) {
    return zipkin2.Span.newBuilder().traceId("463ac35c9f6413ad48485a3953bb6124").id(id);
  }
}
