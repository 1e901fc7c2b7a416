package io.strand.pipeline.limits;

/**
 * The limits applied to received spans, each named by the configuration key that sets it, so a
 * refusal or a metric names exactly what to change.
 */
public enum Limit {
  /** Spans in one request; a larger request is refused. */
  SPANS_PER_REQUEST("limits.max-spans-per-request"),
  /** Attributes of one span, event or link; extra ones are dropped and counted. */
  ATTRIBUTES_PER_SPAN("limits.max-attributes-per-span"),
  /** Characters of an attribute key; an attribute with a longer key is dropped and counted. */
  ATTRIBUTE_KEY_LENGTH("limits.max-attribute-key-length"),
  /** Characters of a string value (bytes of a bytes value); longer values are truncated. */
  ATTRIBUTE_VALUE_LENGTH("limits.max-attribute-value-length"),
  /** Events of one span; later ones are dropped and counted. */
  EVENTS_PER_SPAN("limits.max-events-per-span"),
  /** Links of one span; later ones are dropped and counted. */
  LINKS_PER_SPAN("limits.max-links-per-span"),
  /** Levels of nested arrays and key/value lists in one value; deeper attributes are dropped. */
  ATTRIBUTE_DEPTH("limits.max-attribute-depth");

  private final String key;

  Limit(String key) {
    this.key = key;
  }

  /** The configuration key that sets this limit. */
  public String key() {
    return key;
  }
}
