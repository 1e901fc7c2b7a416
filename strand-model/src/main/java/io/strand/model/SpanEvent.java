package io.strand.model;

/**
 * A timestamped event within a span (a Zipkin annotation maps to one).
 *
 * @param timeUnixNano when it happened, nanoseconds since the epoch
 * @param name event name
 * @param attributes event attributes
 * @param droppedAttributesCount attributes the sender dropped
 */
public record SpanEvent(
    long timeUnixNano, String name, Attributes attributes, int droppedAttributesCount) {

  public SpanEvent {
    name = name == null ? "" : name;
    attributes = attributes == null ? Attributes.EMPTY : attributes;
  }
}
