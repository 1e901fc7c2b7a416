package io.strand.server.cli;

import io.strand.server.StrandServer;
import io.strand.server.config.StrandConfig;
import java.io.PrintStream;

/** Prints where a running server can be reached. */
final class Endpoints {
  private Endpoints() {}

  static void print(PrintStream out, StrandConfig config, StrandServer server) {
    String host = config.bindAddress().equals("0.0.0.0") ? "localhost" : config.bindAddress();
    out.printf("%nStrand is running (data in %s)%n", config.dataDir().toAbsolutePath());
    out.printf("  UI and API     http://%s:%d/  (e.g. /api/v1/services)%n", host,
        server.queryPort());
    out.printf("  OTLP/gRPC      http://%s:%d%n", host, server.otlpGrpcPort());
    out.printf("  OTLP/HTTP      http://%s:%d/v1/traces%n", host, server.otlpHttpPort());
    out.printf("  Zipkin         http://%s:%d/api/v2/spans%n", host, server.zipkinPort());
    out.printf("  Health         http://%s:%d/health  /ready%n%n", host, server.queryPort());
    out.flush();
  }
}
