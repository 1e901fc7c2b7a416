package io.strand.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes OTLP/protobuf trace export requests into model spans. All spans of one {@code
 * ResourceSpans} share one {@link Resource} instance, all spans of one {@code ScopeSpans} one
 * {@link InstrumentationScope}. Spans with invalid ids are rejected (see {@link DecodedBatch});
 * links with invalid ids are dropped and counted in {@link Span#droppedLinksCount()}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OtlpProtoDecoder {

  /** Creates a decoder. */
  public OtlpProtoDecoder() {}

  /**
   * Decodes the bytes of an {@code ExportTraceServiceRequest}.
   *
   * @throws CodecException when the bytes are not a parseable request, or an attribute value is
   *     nested too deeply
   */
  public DecodedBatch decode(byte[] protobufBody) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(protobufBody);
    } catch (InvalidProtocolBufferException e) {
      throw new CodecException("malformed OTLP protobuf: " + e.getMessage(), e);
    }
    return fromRequest(request);
  }

  /**
   * Converts an already parsed request, as handed over by a gRPC service.
   *
   * @throws CodecException when an attribute value is nested too deeply
   */
  public DecodedBatch fromRequest(ExportTraceServiceRequest request) {
    List<Span> spans = new ArrayList<>(countSpans(request));
    RejectedSpans rejected = new RejectedSpans();
    for (int r = 0; r < request.getResourceSpansCount(); r++) {
      ResourceSpans rs = request.getResourceSpans(r);
      Resource resource = resource(rs);
      for (int s = 0; s < rs.getScopeSpansCount(); s++) {
        ScopeSpans ss = rs.getScopeSpans(s);
        InstrumentationScope scope = scope(ss);
        for (int i = 0; i < ss.getSpansCount(); i++) {
          io.opentelemetry.proto.trace.v1.Span span = ss.getSpans(i);
          String error = checkIds(span);
          if (error == null) {
            spans.add(toModel(span, resource, scope));
          } else {
            rejected.add(r, s, i, error);
          }
        }
      }
    }
    return rejected.batch(spans);
  }

  private static int countSpans(ExportTraceServiceRequest request) {
    int n = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  private static Resource resource(ResourceSpans rs) {
    if (!rs.hasResource()) {
      return Resource.EMPTY;
    }
    io.opentelemetry.proto.resource.v1.Resource r = rs.getResource();
    if (r.getAttributesCount() == 0 && r.getDroppedAttributesCount() == 0) {
      return Resource.EMPTY;
    }
    return new Resource(
        ProtoAttributes.toModel(r.getAttributesList(), 1), r.getDroppedAttributesCount());
  }

  private static InstrumentationScope scope(ScopeSpans ss) {
    if (!ss.hasScope()) {
      return InstrumentationScope.EMPTY;
    }
    io.opentelemetry.proto.common.v1.InstrumentationScope s = ss.getScope();
    InstrumentationScope scope = new InstrumentationScope(s.getName(), s.getVersion(),
        ProtoAttributes.toModel(s.getAttributesList(), 1), s.getDroppedAttributesCount());
    return scope.equals(InstrumentationScope.EMPTY) ? InstrumentationScope.EMPTY : scope;
  }

  /** Why the span's own ids are invalid, or {@code null}. */
  private static String checkIds(io.opentelemetry.proto.trace.v1.Span span) {
    String error = OtlpIds.checkBytes(span.getTraceId(), OtlpIds.TRACE_ID_BYTES, "traceId");
    if (error == null) {
      error = OtlpIds.checkBytes(span.getSpanId(), OtlpIds.SPAN_ID_BYTES, "spanId");
    }
    if (error == null && !span.getParentSpanId().isEmpty()) {
      error = OtlpIds.checkBytes(span.getParentSpanId(), OtlpIds.SPAN_ID_BYTES, "parentSpanId");
    }
    return error;
  }

  private static Span toModel(
      io.opentelemetry.proto.trace.v1.Span span, Resource resource, InstrumentationScope scope) {
    ByteString parent = span.getParentSpanId();
    int droppedLinks = span.getDroppedLinksCount();
    List<SpanLink> links = List.of();
    if (span.getLinksCount() > 0) {
      List<SpanLink> valid = new ArrayList<>(span.getLinksCount());
      for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
        if (OtlpIds.isValid(link.getTraceId(), OtlpIds.TRACE_ID_BYTES)
            && OtlpIds.isValid(link.getSpanId(), OtlpIds.SPAN_ID_BYTES)) {
          valid.add(toModel(link));
        } else {
          droppedLinks++;
        }
      }
      links = valid;
    }
    return new Span(
        traceId(span.getTraceId()),
        OtlpIds.readLong(span.getSpanId(), 0),
        parent.isEmpty() ? SpanId.NONE : OtlpIds.readLong(parent, 0),
        span.getTraceState(),
        span.getFlags(),
        span.getName(),
        SpanKind.forNumber(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        StatusCode.forNumber(span.getStatus().getCodeValue()),
        span.getStatus().getMessage(),
        ProtoAttributes.toModel(span.getAttributesList(), 1),
        span.getDroppedAttributesCount(),
        events(span),
        span.getDroppedEventsCount(),
        links,
        droppedLinks,
        resource,
        scope);
  }

  private static List<SpanEvent> events(io.opentelemetry.proto.trace.v1.Span span) {
    int n = span.getEventsCount();
    if (n == 0) {
      return List.of();
    }
    SpanEvent[] events = new SpanEvent[n];
    for (int i = 0; i < n; i++) {
      io.opentelemetry.proto.trace.v1.Span.Event e = span.getEvents(i);
      events[i] = new SpanEvent(e.getTimeUnixNano(), e.getName(),
          ProtoAttributes.toModel(e.getAttributesList(), 1), e.getDroppedAttributesCount());
    }
    return List.of(events);
  }

  private static SpanLink toModel(io.opentelemetry.proto.trace.v1.Span.Link link) {
    Attributes attributes = ProtoAttributes.toModel(link.getAttributesList(), 1);
    return new SpanLink(traceId(link.getTraceId()), OtlpIds.readLong(link.getSpanId(), 0),
        link.getTraceState(), attributes, link.getDroppedAttributesCount(), link.getFlags());
  }

  private static TraceId traceId(ByteString id) {
    return new TraceId(OtlpIds.readLong(id, 0), OtlpIds.readLong(id, 8));
  }
}
