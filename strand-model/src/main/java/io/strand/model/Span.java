package io.strand.model;

import java.util.List;

/**
 * One span, immutable, carrying everything OTLP carries. Span ids are primitive longs ({@link
 * SpanId#NONE} for "no parent"); the resource and scope are shared between spans of one batch.
 *
 * @param traceId the trace this span belongs to
 * @param spanId this span's id, never {@link SpanId#NONE}
 * @param parentSpanId the parent's id, or {@link SpanId#NONE} for a root span
 * @param traceState W3C trace state, empty when none
 * @param flags W3C trace flags (OTLP {@code Span.flags})
 * @param name operation name
 * @param kind role of the span
 * @param startTimeUnixNano start, nanoseconds since the epoch
 * @param endTimeUnixNano end, nanoseconds since the epoch
 * @param statusCode status code
 * @param statusMessage status message, empty when none
 * @param attributes span attributes
 * @param droppedAttributesCount attributes the sender dropped
 * @param events events in time order as received
 * @param droppedEventsCount events the sender dropped
 * @param links links to other spans
 * @param droppedLinksCount links the sender dropped
 * @param resource the producing entity
 * @param scope the instrumentation library
 */
public record Span(
    TraceId traceId,
    long spanId,
    long parentSpanId,
    String traceState,
    int flags,
    String name,
    SpanKind kind,
    long startTimeUnixNano,
    long endTimeUnixNano,
    StatusCode statusCode,
    String statusMessage,
    Attributes attributes,
    int droppedAttributesCount,
    List<SpanEvent> events,
    int droppedEventsCount,
    List<SpanLink> links,
    int droppedLinksCount,
    Resource resource,
    InstrumentationScope scope) {

  public Span {
    if (traceId == null) {
      throw new IllegalArgumentException("trace id must not be null");
    }
    if (spanId == SpanId.NONE) {
      throw new IllegalArgumentException("span id must not be all zeros");
    }
    traceState = traceState == null ? "" : traceState;
    name = name == null ? "" : name;
    kind = kind == null ? SpanKind.UNSPECIFIED : kind;
    statusCode = statusCode == null ? StatusCode.UNSET : statusCode;
    statusMessage = statusMessage == null ? "" : statusMessage;
    attributes = attributes == null ? Attributes.EMPTY : attributes;
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
    resource = resource == null ? Resource.EMPTY : resource;
    scope = scope == null ? InstrumentationScope.EMPTY : scope;
  }

  /** Starts a builder for a span with the given ids. */
  public static Builder builder(TraceId traceId, long spanId) {
    return new Builder(traceId, spanId);
  }

  /** A builder pre-filled with this span's fields. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** End minus start, never negative. */
  public long durationNanos() {
    return Math.max(0, endTimeUnixNano - startTimeUnixNano);
  }

  /** The resource's service name. */
  public String serviceName() {
    return resource.serviceName();
  }

  /** Whether the span has no parent. */
  public boolean isRoot() {
    return parentSpanId == SpanId.NONE;
  }

  /** Fluent construction; unset fields take their empty defaults. */
  public static final class Builder {
    private TraceId traceId;
    private long spanId;
    private long parentSpanId;
    private String traceState;
    private int flags;
    private String name;
    private SpanKind kind;
    private long start;
    private long end;
    private StatusCode statusCode;
    private String statusMessage;
    private Attributes attributes;
    private int droppedAttributes;
    private List<SpanEvent> events;
    private int droppedEvents;
    private List<SpanLink> links;
    private int droppedLinks;
    private Resource resource;
    private InstrumentationScope scope;

    private Builder(TraceId traceId, long spanId) {
      this.traceId = traceId;
      this.spanId = spanId;
    }

    private Builder(Span s) {
      traceId = s.traceId;
      spanId = s.spanId;
      parentSpanId = s.parentSpanId;
      traceState = s.traceState;
      flags = s.flags;
      name = s.name;
      kind = s.kind;
      start = s.startTimeUnixNano;
      end = s.endTimeUnixNano;
      statusCode = s.statusCode;
      statusMessage = s.statusMessage;
      attributes = s.attributes;
      droppedAttributes = s.droppedAttributesCount;
      events = s.events;
      droppedEvents = s.droppedEventsCount;
      links = s.links;
      droppedLinks = s.droppedLinksCount;
      resource = s.resource;
      scope = s.scope;
    }

    public Builder traceId(TraceId v) {
      traceId = v;
      return this;
    }

    public Builder spanId(long v) {
      spanId = v;
      return this;
    }

    public Builder parentSpanId(long v) {
      parentSpanId = v;
      return this;
    }

    public Builder traceState(String v) {
      traceState = v;
      return this;
    }

    public Builder flags(int v) {
      flags = v;
      return this;
    }

    public Builder name(String v) {
      name = v;
      return this;
    }

    public Builder kind(SpanKind v) {
      kind = v;
      return this;
    }

    public Builder startTimeUnixNano(long v) {
      start = v;
      return this;
    }

    public Builder endTimeUnixNano(long v) {
      end = v;
      return this;
    }

    public Builder status(StatusCode code, String message) {
      statusCode = code;
      statusMessage = message;
      return this;
    }

    public Builder attributes(Attributes v) {
      attributes = v;
      return this;
    }

    public Builder droppedAttributesCount(int v) {
      droppedAttributes = v;
      return this;
    }

    public Builder events(List<SpanEvent> v) {
      events = v;
      return this;
    }

    public Builder droppedEventsCount(int v) {
      droppedEvents = v;
      return this;
    }

    public Builder links(List<SpanLink> v) {
      links = v;
      return this;
    }

    public Builder droppedLinksCount(int v) {
      droppedLinks = v;
      return this;
    }

    public Builder resource(Resource v) {
      resource = v;
      return this;
    }

    public Builder scope(InstrumentationScope v) {
      scope = v;
      return this;
    }

    public Span build() {
      return new Span(traceId, spanId, parentSpanId, traceState, flags, name, kind, start, end,
          statusCode, statusMessage, attributes, droppedAttributes, events, droppedEvents, links,
          droppedLinks, resource, scope);
    }
  }
}
