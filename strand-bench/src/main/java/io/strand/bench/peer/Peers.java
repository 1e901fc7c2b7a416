package io.strand.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** How to start each server that the benchmark compares, on loopback with free ports. */
public final class Peers {
  /** Zipkin's exec jar, resolved from Maven Central by the benchmark script. */
  public static final String ZIPKIN_VERSION = "3.6.1";

  private Peers() {}

  /**
   * The Zipkin server with in-memory storage large enough to keep every span sent.
   *
   * @param jar the {@code zipkin-server-<version>-exec.jar}
   * @param maxSpans in-memory capacity ({@code MEM_MAX_SPANS})
   */
  public static ServerProcess zipkin(Path jar, long maxSpans, String heap) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Zipkin server jar not found at " + jar
          + " (the benchmark script downloads it)");
    }
    List<String> cmd = List.of(java(), "-Xmx" + heap, "-jar", jar.toString(),
        "--armeria.ports[0].port=0", "--armeria.ports[0].ip=127.0.0.1",
        "--armeria.ports[0].protocols=http");
    return ServerProcess.start("zipkin", cmd, Map.of("STORAGE_TYPE", "mem",
            "MEM_MAX_SPANS", Long.toString(maxSpans), "SELF_TRACING_ENABLED", "false"),
        Map.of("http", Pattern.compile("Serving HTTP at /127\\.0\\.0\\.1:(\\d+)")));
  }

  /** Strand from its shipped jar, on a fresh data directory. */
  public static ServerProcess strand(Path jar, Path dataDir, String heap) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED",
        "-Xmx" + heap, "-jar", jar.toString(), "server", "--data", dataDir.toString(),
        "--server.bind-address=127.0.0.1", "--server.query-port=0",
        "--receivers.otlp-grpc-port=0", "--receivers.otlp-http-port=0",
        "--receivers.zipkin-port=0"));
    return ServerProcess.start("strand", cmd, Map.of(), Map.of(
        "query", Pattern.compile("^\\s+Query API\\s+http://[^:]+:(\\d+)"),
        "otlp-http", Pattern.compile("^\\s+OTLP/HTTP\\s+http://[^:]+:(\\d+)"),
        "zipkin", Pattern.compile("^\\s+Zipkin\\s+http://[^:]+:(\\d+)")));
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }
}
