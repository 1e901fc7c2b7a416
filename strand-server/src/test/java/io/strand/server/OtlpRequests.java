package io.strand.server;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/** Hand-built OTLP requests, including ones no SDK would send. */
public final class OtlpRequests {
  private OtlpRequests() {}

  public static Span span(byte[] traceId, byte[] spanId, String name) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_000L)
        .setEndTimeUnixNano(1_700_000_000_100_000_000L)
        .build();
  }

  public static ExportTraceServiceRequest request(String service, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
                .setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans))))
        .build();
  }

  public static byte[] id(int length, int fill) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }
}
