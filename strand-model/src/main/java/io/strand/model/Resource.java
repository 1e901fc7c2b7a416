package io.strand.model;

/**
 * The entity that produced spans (a service instance). Shared by all spans of one OTLP
 * {@code ResourceSpans}, so decoders hand the same instance to each of them.
 *
 * @param attributes resource attributes, including {@code service.name}
 * @param droppedAttributesCount attributes the sender dropped
 */
public record Resource(Attributes attributes, int droppedAttributesCount) {

  /** The attribute that names the service. */
  public static final String SERVICE_NAME = "service.name";

  /** The service name the OpenTelemetry spec prescribes when none is set. */
  public static final String UNKNOWN_SERVICE = "unknown_service";

  public static final Resource EMPTY = new Resource(Attributes.EMPTY, 0);

  public Resource {
    if (attributes == null) {
      throw new IllegalArgumentException("resource attributes must not be null");
    }
  }

  /** A resource with only a service name. */
  public static Resource ofService(String serviceName) {
    return new Resource(Attributes.builder(1).put(SERVICE_NAME, serviceName).build(), 0);
  }

  /** {@code service.name}, or {@value #UNKNOWN_SERVICE} when absent or empty. */
  public String serviceName() {
    String s = attributes.getText(SERVICE_NAME);
    return s == null || s.isEmpty() ? UNKNOWN_SERVICE : s;
  }
}
