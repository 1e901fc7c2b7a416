package io.strand.demo;

import java.net.URI;

/** The OTLP transport used to ship demo spans to a collector or a Strand server. */
public enum OtlpProtocol {
  /** OTLP over gRPC, conventionally on port 4317. */
  GRPC(URI.create("http://127.0.0.1:4317")),
  /** OTLP over HTTP with binary protobuf bodies, conventionally on port 4318. */
  HTTP_PROTOBUF(URI.create("http://127.0.0.1:4318/v1/traces"));

  private final URI defaultEndpoint;

  OtlpProtocol(URI defaultEndpoint) {
    this.defaultEndpoint = defaultEndpoint;
  }

  /**
   * Returns the local endpoint used when none is configured.
   *
   * @return {@code http://127.0.0.1:4317} for gRPC, {@code http://127.0.0.1:4318/v1/traces} for
   *     HTTP
   */
  public URI defaultEndpoint() {
    return defaultEndpoint;
  }
}
