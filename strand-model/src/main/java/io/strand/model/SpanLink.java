package io.strand.model;

/**
 * A link from a span to another span, possibly in another trace.
 *
 * @param traceId the linked trace
 * @param spanId the linked span
 * @param traceState W3C trace state of the link, empty when none
 * @param attributes link attributes
 * @param droppedAttributesCount attributes the sender dropped
 * @param flags W3C trace flags (OTLP {@code Link.flags})
 */
public record SpanLink(
    TraceId traceId,
    long spanId,
    String traceState,
    Attributes attributes,
    int droppedAttributesCount,
    int flags) {

  public SpanLink {
    if (traceId == null) {
      throw new IllegalArgumentException("link trace id must not be null");
    }
    traceState = traceState == null ? "" : traceState;
    attributes = attributes == null ? Attributes.EMPTY : attributes;
  }
}
