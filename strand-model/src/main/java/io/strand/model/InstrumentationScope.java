package io.strand.model;

/**
 * The library that recorded a span.
 *
 * @param name scope name, empty when unknown
 * @param version scope version, empty when unknown
 * @param attributes scope attributes
 * @param droppedAttributesCount attributes the sender dropped
 */
public record InstrumentationScope(
    String name, String version, Attributes attributes, int droppedAttributesCount) {

  public static final InstrumentationScope EMPTY =
      new InstrumentationScope("", "", Attributes.EMPTY, 0);

  public InstrumentationScope {
    name = name == null ? "" : name;
    version = version == null ? "" : version;
    attributes = attributes == null ? Attributes.EMPTY : attributes;
  }
}
