package io.strand.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.TestServers;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same trace, serialized by the OpenTelemetry SDK's own marshaler once as protobuf and once
 * as OTLP JSON, is stored identically by two servers; and the trace read back through
 * {@code /otlp} can be re-sent and is stored identically again.
 */
class OtlpJsonEquivalenceIT {

  @TempDir Path protoDir;
  @TempDir Path jsonDir;
  @TempDir Path resentDir;

  @Test
  void protobufAndJsonAreStoredIdentically() throws Exception {
    List<SpanData> spans = sampleTrace();
    TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
    ByteArrayOutputStream proto = new ByteArrayOutputStream();
    marshaler.writeBinaryTo(proto);
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    marshaler.writeJsonTo(json);
    assertThat(json.toString(StandardCharsets.UTF_8))
        .as("OTLP JSON uses hex ids").contains(spans.get(0).getTraceId());
    TraceId traceId = TraceId.fromHex(spans.get(0).getTraceId());

    List<Span> viaProto = storeAndRead(protoDir, "application/x-protobuf", proto.toByteArray(),
        traceId);
    List<Span> viaJson = storeAndRead(jsonDir, "application/json", json.toByteArray(), traceId);
    assertThat(viaProto).hasSize(spans.size());
    assertThat(viaJson).isEqualTo(viaProto);

    byte[] exported;
    try (StrandServer server = StrandServer.start(TestServers.config(protoDir))) {
      HttpResponse<String> r =
          TestServers.get(server.queryPort(), "/api/v1/traces/" + traceId.toHex() + "/otlp");
      assertThat(r.statusCode()).isEqualTo(200);
      exported = r.body().getBytes(StandardCharsets.UTF_8);
    }
    assertThat(storeAndRead(resentDir, "application/json", exported, traceId))
        .isEqualTo(viaProto);
  }

  private static List<Span> storeAndRead(Path dir, String type, byte[] body, TraceId id) {
    try (StrandServer server = TestServers.start(dir)) {
      HttpResponse<String> r = TestServers.post(server.otlpHttpPort(), "/v1/traces", type, body);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return server.storage().traceReader().getTrace(id);
    }
  }

  private static List<SpanData> sampleTrace() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "eq",
            AttributeKey.longKey("pid"), 4242L)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      Tracer tracer = provider.get("equivalence", "2.0");
      io.opentelemetry.api.trace.Span root = tracer.spanBuilder("root")
          .setSpanKind(SpanKind.SERVER).startSpan();
      root.setAttribute("s", "text with \"quotes\" and ünïcode");
      root.setAttribute("l", Long.MAX_VALUE);
      root.setAttribute("d", 3.25);
      root.setAttribute("b", true);
      root.setAttribute(AttributeKey.stringArrayKey("arr"), List.of("x", "y"));
      root.addEvent("evt", Attributes.of(AttributeKey.longKey("n"), 7L));
      io.opentelemetry.api.trace.Span child = tracer.spanBuilder("child")
          .setParent(Context.root().with(root)).setSpanKind(SpanKind.PRODUCER)
          .addLink(root.getSpanContext(), Attributes.of(AttributeKey.booleanKey("lk"), false))
          .startSpan();
      child.setStatus(StatusCode.ERROR, "nope");
      child.end();
      root.end();
      return exporter.getFinishedSpanItems();
    }
  }
}
