package io.strand.codec.zipkin;

import static io.strand.codec.zipkin.ZipkinDecoderTest.minimal;
import static io.strand.codec.zipkin.ZipkinDecoderTest.richZipkinSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinEncoderTest {

  private static final TraceId TRACE = TraceId.fromHex("5b8efff798038103d269b633813fc60c");

  private final ZipkinDecoder decoder = new ZipkinDecoder();
  private final ZipkinEncoder encoder = new ZipkinEncoder();

  @Test
  void richZipkinSpanSurvivesZipkinToModelToZipkin() {
    zipkin2.Span rich = richZipkinSpan();

    List<Span> model =
        decoder.decodeJson(SpanBytesEncoder.JSON_V2.encodeList(List.of(rich))).spans();

    assertThat(encoder.toZipkin(model.get(0))).isEqualTo(rich);
  }

  @Test
  void zipkinRoundTripThroughProto3AndBackToJson() {
    List<zipkin2.Span> spans = List.of(
        richZipkinSpan(),
        minimal("2").kind(zipkin2.Span.Kind.PRODUCER).name("send").timestamp(5).duration(1)
            .localEndpoint(Endpoint.newBuilder().serviceName("queue").ip("2001:db8::5").build())
            .remoteEndpoint(
                Endpoint.newBuilder().ip("10.0.0.2").ip("2001:db8::2").port(443).build())
            .putTag("otel.status_code", "OK")
            .putTag("otel.scope.name", "io.kafka").putTag("otel.library.name", "io.kafka")
            .build(),
        minimal("3").parentId("2").kind(zipkin2.Span.Kind.CONSUMER).putTag("error", "")
            .putTag("otel.status_code", "ERROR")
            .localEndpoint(Endpoint.newBuilder().serviceName("worker").build())
            .putTag("otel.dropped_events_count", "2")
            .build());

    List<Span> model = decoder.decodeProto3(SpanBytesEncoder.PROTO3.encodeList(spans)).spans();
    byte[] json = encoder.encodeJson(model);

    assertThat(SpanBytesDecoder.JSON_V2.decodeList(json)).isEqualTo(spans);
  }

  @Test
  void errorTagAloneGainsTheOtelStatusCodeTag() {
    zipkin2.Span span = minimal("1").putTag("error", "boom")
        .localEndpoint(Endpoint.newBuilder().serviceName("svc").build()).build();

    zipkin2.Span again = encoder.toZipkin(decodeOne(span));

    assertThat(again.tags())
        .containsOnly(entry("error", "boom"), entry("otel.status_code", "ERROR"));
  }

  @Test
  void mapsAnOtlpSpanAsTheOpenTelemetryZipkinExporterDoes() {
    Resource resource = new Resource(Attributes.builder()
        .put("service.name", "Checkout")
        .put("host.ip", "10.9.8.7")
        .put("net.host.port", 8443L)
        .put("deployment.environment", "prod")
        .build(), 0);
    InstrumentationScope scope = new InstrumentationScope("io.strand.http", "1.2",
        Attributes.builder().put("scope.attr", "s").put("shadowed", "scope").build(), 0);
    Span span = Span.builder(TRACE, 0x10)
        .parentSpanId(0x0f)
        .name("GET /cart")
        .kind(SpanKind.CLIENT)
        .startTimeUnixNano(1_500)
        .endTimeUnixNano(2_400)
        .status(StatusCode.ERROR, "")
        .attributes(Attributes.builder()
            .put("server.address", "api.example.com")
            .put("network.peer.address", "192.168.1.20")
            .put("network.peer.port", 8080L)
            .put("http.ok", false)
            .put("retries", 3L)
            .put("ratio", 0.25)
            .put("tags", new AttributeValue.ArrayValue(
                List.of(AttributeValue.of("a"), AttributeValue.of(1L))))
            .put("blob", new AttributeValue.BytesValue(new byte[] {(byte) 0xca, (byte) 0xfe}))
            .put("shadowed", "span")
            .build())
        .droppedAttributesCount(1)
        .events(List.of(
            new SpanEvent(1_900, "exception", Attributes.builder()
                .put("exception.message", "say \"hi\"")
                .put("count", 2L)
                .put("fatal", true)
                .build(), 0),
            new SpanEvent(2_000, "done", Attributes.EMPTY, 0)))
        .droppedEventsCount(2)
        .droppedLinksCount(3)
        .resource(resource)
        .scope(scope)
        .build();

    zipkin2.Span z = encoder.toZipkin(span);

    assertThat(z.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(z.id()).isEqualTo("0000000000000010");
    assertThat(z.parentId()).isEqualTo("000000000000000f");
    assertThat(z.name()).isEqualTo("get /cart"); // Zipkin lower-cases names
    assertThat(z.kind()).isEqualTo(zipkin2.Span.Kind.CLIENT);
    assertThat(z.timestamp()).isEqualTo(1L);
    assertThat(z.duration()).isEqualTo(1L); // 900ns rounds down to 0 micros, kept at the 1 minimum
    assertThat(z.localEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("checkout").ip("10.9.8.7").port(8443).build());
    assertThat(z.remoteEndpoint()).isEqualTo(
        Endpoint.newBuilder().serviceName("api.example.com").ip("192.168.1.20").port(8080).build());
    assertThat(z.annotations()).extracting(a -> a.timestamp() + " " + a.value()).containsExactly(
        "1 \"exception\":{\"exception.message\":\"say \\\"hi\\\"\",\"count\":2,\"fatal\":true}",
        "2 done");
    assertThat(z.tags()).containsOnly(
        entry("server.address", "api.example.com"),
        entry("network.peer.address", "192.168.1.20"),
        entry("network.peer.port", "8080"),
        entry("http.ok", "false"),
        entry("retries", "3"),
        entry("ratio", "0.25"),
        entry("tags", "[\"a\",1]"),
        entry("blob", "cafe"),
        entry("shadowed", "span"),
        entry("scope.attr", "s"),
        entry("otel.scope.name", "io.strand.http"),
        entry("otel.scope.version", "1.2"),
        entry("otel.library.name", "io.strand.http"),
        entry("otel.library.version", "1.2"),
        entry("otel.dropped_attributes_count", "1"),
        entry("otel.dropped_events_count", "2"),
        entry("otel.dropped_links_count", "3"),
        entry("otel.status_code", "ERROR"),
        entry("error", ""));
    assertThat(z.debug()).isNull();
    assertThat(z.shared()).isNull();
  }

  @Test
  void okStatusHasNoErrorTagAndUnsetStatusNoStatusTags() {
    Span ok = Span.builder(TRACE, 1).status(StatusCode.OK, "ignored").build();
    Span unset = Span.builder(TRACE, 2).build();

    assertThat(encoder.toZipkin(ok).tags()).containsOnly(entry("otel.status_code", "OK"));
    assertThat(encoder.toZipkin(unset).tags()).isEmpty();
  }

  @Test
  void falseErrorAttributeIsLeftOutAndTrueOneKept() {
    Span falseError =
        Span.builder(TRACE, 1).attributes(Attributes.builder().put("error", false).build()).build();
    Span trueError =
        Span.builder(TRACE, 2).attributes(Attributes.builder().put("error", true).build()).build();
    Span statusWins = Span.builder(TRACE, 3)
        .attributes(Attributes.builder().put("error", "attr").build())
        .status(StatusCode.ERROR, "status").build();

    assertThat(encoder.toZipkin(falseError).tags()).isEmpty();
    assertThat(encoder.toZipkin(trueError).tags()).containsOnly(entry("error", "true"));
    assertThat(encoder.toZipkin(statusWins).tags()).containsEntry("error", "status");
  }

  @Test
  void internalAndUnspecifiedKindsHaveNoZipkinKindAndOtherDefaultsAreOmitted() {
    Span internal = Span.builder(TRACE, 1).kind(SpanKind.INTERNAL).build();
    Span unspecified = Span.builder(TRACE, 2).kind(SpanKind.UNSPECIFIED).build();

    zipkin2.Span z = encoder.toZipkin(internal);
    assertThat(z.kind()).isNull();
    assertThat(encoder.toZipkin(unspecified).kind()).isNull();
    assertThat(z.timestamp()).isNull();
    assertThat(z.duration()).isNull();
    assertThat(z.parentId()).isNull();
    assertThat(z.name()).isNull();
    assertThat(z.remoteEndpoint()).isNull();
    assertThat(z.localEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("unknown_service").build());
    assertThat(z.traceId()).isEqualTo(TRACE.toHex());
  }

  @Test
  void peerAttributesWinOverLowerRankedOnesAndOnlyThoseBecomeTheEndpoint() {
    Span span = Span.builder(TRACE, 1)
        .attributes(Attributes.builder()
            .put("db.name", "orders")
            .put("peer.service", "Payments")
            .put("net.peer.ip", "not-an-ip")
            .put("peer.address", "10.0.0.9")
            .put("net.peer.port", "70000")
            .put("server.port", 5432L)
            .build())
        .build();

    zipkin2.Span z = encoder.toZipkin(span);

    assertThat(z.remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("payments").ip("10.0.0.9").port(5432).build());
    assertThat(z.tags()).containsOnly(
        entry("db.name", "orders"),
        entry("net.peer.ip", "not-an-ip"),
        entry("peer.address", "10.0.0.9"),
        entry("net.peer.port", "70000"),
        entry("server.port", "5432"));
  }

  @Test
  void sharedAndDebugAttributesBecomeFlags() {
    Span span = Span.builder(TRACE, 1)
        .attributes(
            Attributes.builder().put("zipkin.shared", true).put("zipkin.debug", true).build())
        .build();

    zipkin2.Span z = encoder.toZipkin(span);

    assertThat(z.shared()).isTrue();
    assertThat(z.debug()).isTrue();
    assertThat(z.tags()).isEmpty();
  }

  @Test
  void encodeJsonWritesAZipkinJsonArray() {
    List<Span> spans = List.of(
        Span.builder(TRACE, 1).name("a").resource(Resource.ofService("one")).build(),
        Span.builder(TRACE, 2).parentSpanId(1).name("b").resource(Resource.ofService("two"))
            .build());

    byte[] json = encoder.encodeJson(spans);

    assertThat(SpanBytesDecoder.JSON_V2.decodeList(json)).isEqualTo(encoder.toZipkin(spans));
    assertThat(encoder.toZipkin(spans))
        .extracting(zipkin2.Span::localServiceName)
        .containsExactly("one", "two");
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("[{\"traceId\":");
    assertThat(encoder.encodeJson(List.of())).asString().isEqualTo("[]");
  }

  @Test
  void sixtyFourBitTraceIdsStaySixteenDigits() {
    Span span =
        Span.builder(new TraceId(0, 0xabcL), SpanId.fromHex("00000000000000aa", "id")).build();

    assertThat(encoder.toZipkin(span).traceId()).isEqualTo("0000000000000abc");
  }

  private Span decodeOne(zipkin2.Span span) {
    return decoder.fromZipkin(List.of(span)).spans().get(0);
  }
}
