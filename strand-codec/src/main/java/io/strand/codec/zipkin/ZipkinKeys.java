package io.strand.codec.zipkin;

/**
 * Attribute and tag names used to carry Zipkin fields that have no model field, and the OTel
 * mapping tags of the OpenTelemetry-to-Zipkin transformation.
 */
final class ZipkinKeys {

  /** Remote endpoint service name (span attribute). */
  static final String PEER_SERVICE = "peer.service";
  /** Remote endpoint IP, IPv4 when the endpoint has both (span attribute). */
  static final String NET_PEER_IP = "net.peer.ip";
  /** Remote endpoint IPv6 when the endpoint also has an IPv4 (span attribute). */
  static final String NET_SOCK_PEER_ADDR = "net.sock.peer.addr";
  /** Remote endpoint port (span attribute). */
  static final String NET_PEER_PORT = "net.peer.port";

  /** Local endpoint IPs, a string array (resource attribute). */
  static final String HOST_IP = "host.ip";
  /** Local endpoint port (resource attribute). */
  static final String NET_HOST_PORT = "net.host.port";

  /** Zipkin's {@code shared} flag, only present when set (span attribute). */
  static final String ZIPKIN_SHARED = "zipkin.shared";
  /** Zipkin's {@code debug} flag, only present when set (span attribute). */
  static final String ZIPKIN_DEBUG = "zipkin.debug";

  /** Zipkin's error tag; its value is the status description. */
  static final String ERROR = "error";
  static final String STATUS_CODE = "otel.status_code";
  static final String STATUS_DESCRIPTION = "otel.status_description";
  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";
  static final String LIBRARY_NAME = "otel.library.name";
  static final String LIBRARY_VERSION = "otel.library.version";
  static final String DROPPED_ATTRIBUTES = "otel.dropped_attributes_count";
  static final String DROPPED_EVENTS = "otel.dropped_events_count";
  static final String DROPPED_LINKS = "otel.dropped_links_count";

  private ZipkinKeys() {}
}
