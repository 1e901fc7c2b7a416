package io.strand.server.cli;

import io.strand.server.StrandServer;
import io.strand.server.config.StrandConfig;
import java.io.PrintStream;

/** Prints where a running server can be reached. */
final class Endpoints {
  private Endpoints() {}

  /** Where a local client reaches the server: loopback when listening on every address. */
  static String host(StrandConfig config) {
    return config.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : config.bindAddress();
  }

  static void print(PrintStream out, StrandConfig config, StrandServer server) {
    String host = host(config);
    out.printf("%nStrand is running (data in %s)%n", config.dataDir().toAbsolutePath());
    out.printf("  Query API      http://%s:%d/api/v1/services%n", host, server.queryPort());
    out.printf("  Jaeger API     http://%s:%d/jaeger/api/services%n", host, server.queryPort());
    out.printf("  OTLP/gRPC      http://%s:%d%n", host, server.otlpGrpcPort());
    out.printf("  OTLP/HTTP      http://%s:%d/v1/traces%n", host, server.otlpHttpPort());
    out.printf("  Zipkin         http://%s:%d/api/v2/spans%n", host, server.zipkinPort());
    out.printf("  Health         http://%s:%d/health  /ready%n%n", host, server.queryPort());
    out.flush();
  }
}
