package io.strand.bench;

import io.strand.bench.peer.Peers;
import io.strand.bench.peer.ServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strand side by side with the Zipkin server in one run: the same generated spans, the same
 * connections and batch size, sent to Zipkin (in-memory storage) and to Strand (durable RocksDB)
 * through the Zipkin v2 endpoint both accept, and to Strand's OTLP/HTTP endpoint; each server
 * runs as its own process, started fresh, one after the other.
 *
 * <p>Usage: {@code PeerBenchmark [--peer zipkin|none] [--spans N] [--batch N]
 * [--connections N] [--duration 60s] [--zipkin-jar PATH] [--strand-jar PATH] [--out DIR]}
 */
public final class PeerBenchmark {

  private PeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of(
        "--peer", "zipkin", "--spans", "1000000", "--batch", "512", "--connections", "4",
        "--duration", "60", "--zipkin-jar",
        "strand-bench/target/peer/zipkin-server-" + Peers.ZIPKIN_VERSION + "-exec.jar",
        "--strand-jar", "strand-server/target/strand.jar", "--out", "bench-results"));
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete argument " + args[i]
            + "; known: " + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    int batch = Integer.parseInt(opts.get("--batch"));
    int batches = Math.max(1, Integer.parseInt(opts.get("--spans")) / batch);
    int connections = Integer.parseInt(opts.get("--connections"));
    Duration maxDuration = Duration.ofSeconds(Long.parseLong(opts.get("--duration")));

    System.out.printf("generating %,d spans (seed 42)...%n", batches * (long) batch);
    Payloads payloads = Payloads.generate(batches, batch, 42, 200);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("spans", batches * (long) batch);
    settings.put("batch", batch);
    settings.put("connections", connections);
    settings.put("max duration s", maxDuration.toSeconds());
    settings.put("cores", Runtime.getRuntime().availableProcessors());
    settings.put("Zipkin JSON bytes/span",
        String.format("%.0f", Payloads.bytesPerSpan(payloads.zipkinJson(), batch)));
    settings.put("OTLP protobuf bytes/span",
        String.format("%.0f", Payloads.bytesPerSpan(payloads.otlpProto(), batch)));

    PeerRun.Figures peer = null;
    if (opts.get("--peer").equals("zipkin")) {
      try (ServerProcess zipkin = Peers.zipkin(Path.of(opts.get("--zipkin-jar")),
          batches * (long) batch + 1, "6g")) {
        URI base = URI.create("http://127.0.0.1:" + zipkin.port("http"));
        peer = PeerRun.run("Zipkin " + Peers.ZIPKIN_VERSION + " (memory), Zipkin JSON", zipkin,
            base.resolve("/api/v2/spans"), "application/json", payloads.zipkinJson(), payloads,
            connections, maxDuration, base);
      }
    } else if (!opts.get("--peer").equals("none")) {
      throw new IllegalArgumentException("--peer must be zipkin or none");
    }

    List<PeerRun.Figures> strand = new ArrayList<>();
    Path strandJar = Path.of(opts.get("--strand-jar"));
    try (ServerProcess s = Peers.strand(strandJar, Files.createTempDirectory("strand-bench-"),
        "1g")) {
      URI zipkinApi = URI.create("http://127.0.0.1:" + s.port("zipkin"));
      strand.add(PeerRun.run("Strand (RocksDB, durable), Zipkin JSON", s,
          zipkinApi.resolve("/api/v2/spans"), "application/json", payloads.zipkinJson(),
          payloads, connections, maxDuration, zipkinApi));
    }
    try (ServerProcess s = Peers.strand(strandJar, Files.createTempDirectory("strand-bench-"),
        "1g")) {
      URI otlp = URI.create("http://127.0.0.1:" + s.port("otlp-http") + "/v1/traces");
      URI zipkinApi = URI.create("http://127.0.0.1:" + s.port("zipkin"));
      strand.add(PeerRun.run("Strand (RocksDB, durable), OTLP protobuf", s, otlp,
          "application/x-protobuf", payloads.otlpProto(), payloads, connections, maxDuration,
          zipkinApi));
    }
    String md = BenchReport.write(Path.of(opts.get("--out")), settings, peer, strand);
    System.out.println();
    System.out.println(md);
  }
}
