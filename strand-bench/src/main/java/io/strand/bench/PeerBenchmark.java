package io.strand.bench;

import io.strand.bench.peer.Peers;
import io.strand.bench.peer.ServerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Strand side by side with the Zipkin server in one run: the same generated spans, the same
 * connections and batch size, sent to Zipkin (in-memory storage) and to Strand (durable RocksDB)
 * through the Zipkin v2 endpoint both accept, and to Strand's OTLP/HTTP endpoint; each server
 * runs as its own process, started fresh, one after the other.
 *
 * <p>The load is a fixed number of spans encoded up front ({@code --spans N}, 1M by default) or
 * a sustained one for a time ({@code --duration S}) from a source of bounded memory, as in
 * {@link IngestBenchmark}: a rotating pool of distinct batches whose trace ids and times are
 * rewritten each round ({@code --source pool}, the default) or spans generated while sending
 * ({@code --source fresh}). A sustained run sends for {@code --warmup} seconds (5 by default)
 * to each server before it counts.
 *
 * <p>Usage: {@code PeerBenchmark [--peer zipkin|none] [--spans N | --duration S [--warmup S]]
 * [--batch N] [--connections N] [--source pool|fresh] [--pool BATCHES] [--producers N]
 * [--zipkin-jar PATH] [--strand-jar PATH] [--out DIR]}
 */
public final class PeerBenchmark {
  private static final int SAMPLE = 200;

  private PeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("--peer", "zipkin");
    opts.put("--spans", null);
    opts.put("--duration", null);
    opts.put("--warmup", null);
    opts.put("--batch", "512");
    opts.put("--connections", "4");
    opts.put("--source", "pool");
    opts.put("--pool", "256");
    opts.put("--producers", "2");
    opts.put("--zipkin-jar",
        "strand-bench/target/peer/zipkin-server-" + Peers.ZIPKIN_VERSION + "-exec.jar");
    opts.put("--strand-jar", "strand-server/target/strand.jar");
    opts.put("--out", "bench-results");
    for (int i = 0; i < args.length; i += 2) {
      if (!opts.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown or incomplete argument " + args[i]
            + "; known: " + opts.keySet());
      }
      opts.put(args[i], args[i + 1]);
    }
    if (opts.get("--spans") != null && opts.get("--duration") != null) {
      throw new IllegalArgumentException("--spans (a fixed load) and --duration (a sustained"
          + " one) do not go together");
    }
    boolean sustained = opts.get("--duration") != null;
    int batch = Integer.parseInt(opts.get("--batch"));
    int connections = Integer.parseInt(opts.get("--connections"));
    String sourceKind = opts.get("--source");
    if (!sourceKind.equals("pool") && !sourceKind.equals("fresh")) {
      throw new IllegalArgumentException("--source must be pool or fresh");
    }
    if (!sustained && (!sourceKind.equals("pool") || opts.get("--warmup") != null)) {
      throw new IllegalArgumentException("--source fresh and --warmup need --duration");
    }
    Duration warmup = Duration.ofSeconds(!sustained ? 0 : opts.get("--warmup") == null ? 5
        : Long.parseLong(opts.get("--warmup").replaceFirst("s$", "")));
    Duration duration;
    int batches;
    if (sustained) {
      duration = Duration.ofSeconds(Long.parseLong(opts.get("--duration").replaceFirst("s$", "")));
      batches = Integer.parseInt(opts.get("--pool"));
    } else {
      duration = Duration.ofHours(1);
      String spans = opts.get("--spans") == null ? "1000000" : opts.get("--spans");
      batches = Math.max(1, Integer.parseInt(spans) / batch);
    }

    Map<String, Object> settings = new LinkedHashMap<>();
    BatchPool pool = null;
    if (sourceKind.equals("pool")) {
      System.out.printf("generating %,d spans (seed 42)...%n", batches * (long) batch);
      pool = BatchPool.generate(batches, batch, 42,
          EnumSet.of(WireFormat.ZIPKIN_JSON, WireFormat.OTLP_PROTO));
      settings.put("Zipkin JSON bytes/span",
          String.format("%.0f", pool.bytesPerSpan(WireFormat.ZIPKIN_JSON)));
      settings.put("OTLP protobuf bytes/span",
          String.format("%.0f", pool.bytesPerSpan(WireFormat.OTLP_PROTO)));
    }
    if (sustained) {
      settings.put("load", "sustained for " + duration.toSeconds() + " s, after "
          + warmup.toSeconds() + " s of warm-up not counted");
      settings.put("source", sourceKind.equals("pool")
          ? String.format("rotating pool of %,d distinct batches (%,d spans), trace ids and times"
              + " rewritten each round", batches, batches * (long) batch)
          : "generated and encoded while sending, " + opts.get("--producers")
              + " producer threads");
    } else {
      settings.put("load", String.format("%,d spans, encoded up front", batches * (long) batch));
    }
    settings.put("batch", batch);
    settings.put("connections", connections);
    settings.put("cores", Runtime.getRuntime().availableProcessors());
    BatchPool p = pool;
    int producers = Integer.parseInt(opts.get("--producers"));
    java.util.function.Function<WireFormat, BatchSource> sources = format -> p == null
        ? new FreshBatches(format, producers, batch, 42, Math.max(4, 2 * connections))
        : sustained ? p.rotating(format) : p.once(format);

    PeerRun.Figures peer = null;
    if (opts.get("--peer").equals("zipkin")) {
      // In memory, Zipkin keeps at most MEM_MAX_SPANS spans: more than the run can send.
      long maxSpans = sustained
          ? Math.max(1_000_000L, (warmup.toSeconds() + duration.toSeconds()) * 250_000L)
          : batches * (long) batch + 1;
      try (ServerProcess zipkin = Peers.zipkin(Path.of(opts.get("--zipkin-jar")), maxSpans,
          "6g"); BatchSource source = sources.apply(WireFormat.ZIPKIN_JSON)) {
        URI base = URI.create("http://127.0.0.1:" + zipkin.port("http"));
        peer = PeerRun.run("Zipkin " + Peers.ZIPKIN_VERSION + " (memory), Zipkin JSON", zipkin,
            base.resolve("/api/v2/spans"), source, connections, warmup, duration, base, SAMPLE);
      }
    } else if (!opts.get("--peer").equals("none")) {
      throw new IllegalArgumentException("--peer must be zipkin or none");
    }

    List<PeerRun.Figures> strand = new ArrayList<>();
    Path strandJar = Path.of(opts.get("--strand-jar"));
    Supplier<Path> dataDir = () -> {
      try {
        return Files.createTempDirectory("strand-bench-");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    try (ServerProcess s = Peers.strand(strandJar, dataDir.get(), "1g");
        BatchSource source = sources.apply(WireFormat.ZIPKIN_JSON)) {
      URI zipkinApi = URI.create("http://127.0.0.1:" + s.port("zipkin"));
      strand.add(PeerRun.run("Strand (RocksDB, durable), Zipkin JSON", s,
          zipkinApi.resolve("/api/v2/spans"), source, connections, warmup, duration, zipkinApi,
          SAMPLE));
    }
    try (ServerProcess s = Peers.strand(strandJar, dataDir.get(), "1g");
        BatchSource source = sources.apply(WireFormat.OTLP_PROTO)) {
      URI otlp = URI.create("http://127.0.0.1:" + s.port("otlp-http") + "/v1/traces");
      URI zipkinApi = URI.create("http://127.0.0.1:" + s.port("zipkin"));
      strand.add(PeerRun.run("Strand (RocksDB, durable), OTLP protobuf", s, otlp, source,
          connections, warmup, duration, zipkinApi, SAMPLE));
    }
    String md = BenchReport.write(Path.of(opts.get("--out")), settings, peer, strand);
    System.out.println();
    System.out.println(md);
  }
}
