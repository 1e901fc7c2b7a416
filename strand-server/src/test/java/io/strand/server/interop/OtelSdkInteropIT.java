package io.strand.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.strand.model.AttributeValue;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanLink;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real OpenTelemetry Java SDK exports over OTLP/gRPC and OTLP/HTTP protobuf to a running
 * server; every field the SDK exported must come back intact. The SDK's own in-memory exporter,
 * fed the same spans, is the expectation.
 */
class OtelSdkInteropIT {

  @RegisterExtension static final RunningServer SERVER = new RunningServer();



  @ParameterizedTest
  @ValueSource(strings = {"grpc", "grpc-gzip", "http-protobuf", "http-protobuf-gzip"})
  void everyFieldRoundTrips(String protocol) {
    String compression = protocol.endsWith("-gzip") ? "gzip" : "none";
    SpanExporter exporter = protocol.startsWith("grpc")
        ? OtlpGrpcSpanExporter.builder().setCompression(compression)
            .setEndpoint("http://127.0.0.1:" + SERVER.get().otlpGrpcPort()).build()
        : OtlpHttpSpanExporter.builder().setCompression(compression)
            .setEndpoint("http://127.0.0.1:" + SERVER.get().otlpHttpPort() + "/v1/traces").build();
    InMemorySpanExporter expected = InMemorySpanExporter.create();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder()
            .put("service.name", "interop-" + protocol)
            .put("service.instance.id", "i-1")
            .put("host.cpu.count", 4L)
            .build())))
        .setSpanLimits(SpanLimits.builder().setMaxNumberOfAttributes(20).build())
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .addSpanProcessor(SimpleSpanProcessor.create(expected))
        .build();
    List<SpanData> sent;
    try {
      // a trace per protocol variant; their names differ in length
      String traceId = String.format("4bf92f3577b34da6a3ce929d0e0e47%02x", protocol.length());
      emitTrace(provider.get("io.strand.interop", "1.4.2"), traceId);
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
          .as("the exporter reports success").isTrue();
      sent = expected.getFinishedSpanItems();
    } finally {
      CompletableResultCode shutdown = provider.shutdown();
      shutdown.join(10, TimeUnit.SECONDS);
    }

    assertThat(sent).hasSize(3);
    TraceId traceId = TraceId.fromHex(sent.get(0).getTraceId());
    List<Span> stored = SERVER.get().storage().traceReader().getTrace(traceId);
    assertThat(stored).hasSize(3);
    for (SpanData want : sent) {
      Span got = stored.stream()
          .filter(s -> SpanId.toHex(s.spanId()).equals(want.getSpanId())).findFirst()
          .orElseThrow(() -> new AssertionError("span " + want.getSpanId() + " not stored"));
      assertSameSpan(want, got);
    }

    HttpResponse<String> json =
        TestServers.get(SERVER.get().queryPort(), "/api/v1/traces/" + traceId.toHex());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains("\"service\":\"interop-" + protocol + "\"",
        "\"kind\":\"CLIENT\"", "\"code\":\"ERROR\"", "\"retry.count\":3",
        "\"name\":\"io.strand.interop\"", "\"version\":\"1.4.2\"");
  }

  private static void emitTrace(Tracer tracer, String traceId) {
    SpanContext remoteParent = SpanContext.createFromRemoteParent(
        traceId, "00f067aa0ba902b7", TraceFlags.getSampled(),
        TraceState.builder().put("vendor", "abc").build());
    Context parent = Context.root().with(io.opentelemetry.api.trace.Span.wrap(remoteParent));
    SpanContext linked = SpanContext.create("0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

    io.opentelemetry.api.trace.Span root = tracer.spanBuilder("GET /checkout")
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
        .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "retry-of"))
        .startSpan();
    root.setAttribute("http.request.method", "GET");
    root.setAttribute("http.response.status_code", 200L);
    root.setAttribute("sampling.weight", 0.5);
    root.setAttribute("cache.enabled", true);
    root.setAttribute(AttributeKey.stringArrayKey("http.request.header.accept"),
        List.of("text/html", "application/json"));
    root.setAttribute(AttributeKey.longArrayKey("ports"), List.of(80L, 443L));
    root.setAttribute(AttributeKey.doubleArrayKey("weights"), List.of(0.1, 0.9));
    root.setAttribute(AttributeKey.booleanArrayKey("flags"), List.of(true, false));
    for (int i = 0; i < 14; i++) {
      root.setAttribute("filler." + i, "v" + i);
    }
    root.addEvent("cache miss", Attributes.of(AttributeKey.stringKey("cache.key"), "user:42"),
        1_700_000_000_200_000_000L, TimeUnit.NANOSECONDS);

    io.opentelemetry.api.trace.Span client = tracer.spanBuilder("POST /charge")
        .setParent(Context.root().with(root))
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(1_700_000_000_300_000_000L, TimeUnit.NANOSECONDS)
        .startSpan();
    client.setAttribute("retry.count", 3L);
    client.recordException(new IllegalStateException("card declined"));
    client.setStatus(StatusCode.ERROR, "payment failed");
    client.end(1_700_000_000_900_000_000L, TimeUnit.NANOSECONDS);

    io.opentelemetry.api.trace.Span internal = tracer.spanBuilder("render")
        .setParent(Context.root().with(root))
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(1_700_000_000_950_000_000L, TimeUnit.NANOSECONDS)
        .startSpan();
    internal.setStatus(StatusCode.OK);
    internal.end(1_700_000_000_990_000_000L, TimeUnit.NANOSECONDS);

    root.end(1_700_000_001_000_000_000L, TimeUnit.NANOSECONDS);
  }

  static void assertSameSpan(SpanData want, Span got) {
    assertThat(got.traceId().toHex()).isEqualTo(want.getTraceId());
    assertThat(got.isRoot() ? "0000000000000000" : SpanId.toHex(got.parentSpanId()))
        .isEqualTo(want.getParentSpanId());
    assertThat(got.traceState()).isEqualTo(
        want.getSpanContext().getTraceState().isEmpty() ? "" : "vendor=abc");
    assertThat(got.flags() & 0xff).isEqualTo(want.getSpanContext().getTraceFlags().asByte() & 0xff);
    assertThat(got.name()).isEqualTo(want.getName());
    assertThat(got.kind().name()).isEqualTo(want.getKind().name());
    assertThat(got.startTimeUnixNano()).isEqualTo(want.getStartEpochNanos());
    assertThat(got.endTimeUnixNano()).isEqualTo(want.getEndEpochNanos());
    assertThat(got.statusCode().name()).isEqualTo(want.getStatus().getStatusCode().name());
    assertThat(got.statusMessage()).isEqualTo(want.getStatus().getDescription());
    assertSameAttributes(want.getAttributes(), got.attributes());
    assertThat(got.droppedAttributesCount())
        .isEqualTo(want.getTotalAttributeCount() - want.getAttributes().size());
    assertSameAttributes(want.getResource().getAttributes(), got.resource().attributes());
    assertThat(got.scope().name()).isEqualTo(want.getInstrumentationScopeInfo().getName());
    assertThat(got.scope().version()).isEqualTo(want.getInstrumentationScopeInfo().getVersion());

    assertThat(got.events()).hasSize(want.getEvents().size());
    for (int i = 0; i < want.getEvents().size(); i++) {
      EventData e = want.getEvents().get(i);
      SpanEvent g = got.events().get(i);
      assertThat(g.name()).isEqualTo(e.getName());
      assertThat(g.timeUnixNano()).isEqualTo(e.getEpochNanos());
      assertSameAttributes(e.getAttributes(), g.attributes());
    }
    assertThat(got.links()).hasSize(want.getLinks().size());
    for (int i = 0; i < want.getLinks().size(); i++) {
      LinkData l = want.getLinks().get(i);
      SpanLink g = got.links().get(i);
      assertThat(g.traceId().toHex()).isEqualTo(l.getSpanContext().getTraceId());
      assertThat(SpanId.toHex(g.spanId())).isEqualTo(l.getSpanContext().getSpanId());
      assertSameAttributes(l.getAttributes(), g.attributes());
    }
  }

  static void assertSameAttributes(Attributes want, io.strand.model.Attributes got) {
    assertThat(got.size()).as("attribute count of %s", got).isEqualTo(want.size());
    want.forEach((key, value) -> {
      AttributeValue v = got.get(key.getKey());
      assertThat(v).as("attribute %s", key.getKey()).isNotNull();
      Function<Object, AttributeValue> scalar = o -> switch (o) {
        case String s -> AttributeValue.of(s);
        case Boolean b -> AttributeValue.of(b);
        case Long l -> AttributeValue.of(l);
        case Double d -> AttributeValue.of(d);
        default -> throw new AssertionError("unexpected " + o);
      };
      AttributeValue expected = value instanceof List<?> list
          ? new AttributeValue.ArrayValue(list.stream().map(scalar).toList())
          : scalar.apply(value);
      assertThat(v).as("attribute %s", key.getKey()).isEqualTo(expected);
    });
  }
}
