package io.strand.codec.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import java.util.List;

/**
 * Encodes model spans as an OTLP {@code ExportTraceServiceRequest}, grouping them by resource and
 * then by scope (groups in order of first appearance, spans in their relative order). Every model
 * field is carried over, so {@link OtlpProtoDecoder#fromRequest} gives back equal spans.
 *
 * <p>Stateless and thread-safe.
 */
public final class OtlpProtoEncoder {

  /** Creates an encoder. */
  public OtlpProtoEncoder() {}

  /** Builds a request holding {@code spans}. */
  public ExportTraceServiceRequest encode(List<Span> spans) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (SpanGroups.ResourceGroup rg : SpanGroups.group(spans)) {
      ResourceSpans.Builder rs = request.addResourceSpansBuilder();
      rs.setResource(resource(rg.resource()));
      for (SpanGroups.ScopeGroup sg : rg.scopes()) {
        ScopeSpans.Builder ss = rs.addScopeSpansBuilder();
        ss.setScope(scope(sg.scope()));
        for (Span span : sg.spans()) {
          ss.addSpans(span(span));
        }
      }
    }
    return request.build();
  }

  private static io.opentelemetry.proto.resource.v1.Resource resource(Resource resource) {
    io.opentelemetry.proto.resource.v1.Resource.Builder b =
        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .setDroppedAttributesCount(resource.droppedAttributesCount());
    ProtoAttributes.toProto(resource.attributes(), b::addAttributes);
    return b.build();
  }

  private static io.opentelemetry.proto.common.v1.InstrumentationScope scope(
      InstrumentationScope scope) {
    io.opentelemetry.proto.common.v1.InstrumentationScope.Builder b =
        io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
            .setName(scope.name())
            .setVersion(scope.version())
            .setDroppedAttributesCount(scope.droppedAttributesCount());
    ProtoAttributes.toProto(scope.attributes(), b::addAttributes);
    return b.build();
  }

  private static io.opentelemetry.proto.trace.v1.Span span(Span span) {
    io.opentelemetry.proto.trace.v1.Span.Builder b =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(OtlpIds.traceIdBytes(span.traceId()))
            .setSpanId(OtlpIds.spanIdBytes(span.spanId()))
            .setParentSpanId(OtlpIds.spanIdBytes(span.parentSpanId()))
            .setTraceState(span.traceState())
            .setFlags(span.flags())
            .setName(span.name())
            .setKindValue(span.kind().number())
            .setStartTimeUnixNano(span.startTimeUnixNano())
            .setEndTimeUnixNano(span.endTimeUnixNano())
            .setDroppedAttributesCount(span.droppedAttributesCount())
            .setDroppedEventsCount(span.droppedEventsCount())
            .setDroppedLinksCount(span.droppedLinksCount());
    ProtoAttributes.toProto(span.attributes(), b::addAttributes);
    for (SpanEvent e : span.events()) {
      io.opentelemetry.proto.trace.v1.Span.Event.Builder eb = b.addEventsBuilder()
          .setTimeUnixNano(e.timeUnixNano())
          .setName(e.name())
          .setDroppedAttributesCount(e.droppedAttributesCount());
      ProtoAttributes.toProto(e.attributes(), eb::addAttributes);
    }
    for (SpanLink l : span.links()) {
      io.opentelemetry.proto.trace.v1.Span.Link.Builder lb = b.addLinksBuilder()
          .setTraceId(OtlpIds.traceIdBytes(l.traceId()))
          .setSpanId(OtlpIds.spanIdBytes(l.spanId()))
          .setTraceState(l.traceState())
          .setDroppedAttributesCount(l.droppedAttributesCount())
          .setFlags(l.flags());
      ProtoAttributes.toProto(l.attributes(), lb::addAttributes);
    }
    if (span.statusCode() != StatusCode.UNSET || !span.statusMessage().isEmpty()) {
      b.setStatus(Status.newBuilder()
          .setCodeValue(span.statusCode().number())
          .setMessage(span.statusMessage()));
    }
    return b.build();
  }
}
