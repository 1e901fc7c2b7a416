package io.strand.bench;

import io.strand.server.StrandServer;
import io.strand.server.config.ConfigKey;
import io.strand.server.config.StrandConfig;
import io.strand.storage.rocksdb.RocksDbStorage;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Ingest throughput of the whole path (HTTP, OTLP protobuf decode, durable RocksDB write, ack)
 * and bytes on disk per span. Starts a server in this JVM on a fresh data directory, sends
 * OTLP/HTTP protobuf batches of realistic spans over several connections, counts only
 * acknowledged spans, reads a sample of the acknowledged traces back by id, then compacts the
 * store and measures it.
 *
 * <p>Two loads: a fixed number of spans, all encoded before sending ({@code --spans N}, the
 * default), or a sustained run for a time ({@code --duration S}) from a source of bounded
 * memory: a rotating pool of distinct pre-encoded batches whose trace ids and times are
 * rewritten each round ({@code --source pool}, the default; see {@link BatchPool}) or spans
 * generated and encoded while sending ({@code --source fresh}; see {@link FreshBatches}). A
 * sustained run reports acknowledged spans/s per second and per 5 s, 429 answers, and memory;
 * {@code --generator-only} runs the source alone, without a server, to measure its own CPU.
 *
 * <p>A sustained run first sends for {@code --warmup} seconds (5 by default) without counting,
 * so that its figures leave out the JIT's and the server's first seconds.
 *
 * <p>Usage: {@code IngestBenchmark [--spans N | --duration S [--warmup S]] [--batch N]
 * [--connections N] [--source pool|fresh] [--pool BATCHES] [--producers N] [--sample N]
 * [--generator-only] [--data DIR]}. Load generator and server share the machine's cores, so
 * the figure is a floor.
 */
public final class IngestBenchmark {
  private static final long SEED = 20_261_121L;

  private IngestBenchmark() {}

  /** The settings of a run. */
  private record Settings(Integer spans, Integer durationSeconds, int warmupSeconds, int batch,
      int connections, String source, int pool, int producers, int sample,
      boolean generatorOnly, Path data) {}

  public static void main(String[] args) throws Exception {
    Integer spans = null;
    Integer duration = null;
    Integer warmup = null;
    int batch = 512;
    int connections = 4;
    String source = "pool";
    int pool = 256;
    int producers = 2;
    int sample = 200;
    boolean generatorOnly = false;
    Path data = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--generator-only")) {
        generatorOnly = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg);
      }
      String v = args[++i];
      switch (arg) {
        case "--spans" -> spans = Integer.parseInt(v);
        case "--duration" -> duration = Integer.parseInt(v.replaceFirst("s$", ""));
        case "--warmup" -> warmup = Integer.parseInt(v.replaceFirst("s$", ""));
        case "--batch" -> batch = Integer.parseInt(v);
        case "--connections" -> connections = Integer.parseInt(v);
        case "--source" -> source = v;
        case "--pool" -> pool = Integer.parseInt(v);
        case "--producers" -> producers = Integer.parseInt(v);
        case "--sample" -> sample = Integer.parseInt(v);
        case "--data" -> data = Path.of(v);
        default -> throw new IllegalArgumentException("unknown argument " + arg + " (use"
            + " --spans, --duration, --warmup, --batch, --connections, --source, --pool,"
            + " --producers, --sample, --generator-only, --data)");
      }
    }
    if (spans != null && duration != null) {
      throw new IllegalArgumentException("--spans (a fixed load) and --duration (a sustained"
          + " one) do not go together");
    }
    if (!source.equals("pool") && !source.equals("fresh")) {
      throw new IllegalArgumentException("--source must be pool or fresh");
    }
    if (duration == null && (generatorOnly || !source.equals("pool") || warmup != null)) {
      throw new IllegalArgumentException("--source fresh, --warmup and --generator-only need"
          + " --duration");
    }
    if (spans == null && duration == null) {
      spans = 1_000_000;
    }
    if (data == null && !generatorOnly) {
      data = Files.createTempDirectory("strand-bench-");
    }
    int warmupSeconds = warmup != null ? warmup : duration != null ? 5 : 0;
    run(new Settings(spans, duration, warmupSeconds, batch, connections, source, pool, producers,
        sample, generatorOnly, data));
  }

  private static void run(Settings s) throws Exception {
    long t0 = System.nanoTime();
    BatchPool pool = null;
    BatchSource source;
    Duration duration;
    if (s.spans() != null) {
      int batches = Math.max(1, s.spans() / s.batch());
      System.out.printf("generating %,d realistic spans in batches of %d...%n",
          batches * (long) s.batch(), s.batch());
      pool = BatchPool.generate(batches, s.batch(), SEED, Set.of(WireFormat.OTLP_PROTO));
      source = pool.once(WireFormat.OTLP_PROTO);
      duration = Duration.ofHours(1);
    } else if (s.source().equals("pool")) {
      System.out.printf("generating a pool of %,d batches of %d realistic spans...%n", s.pool(),
          s.batch());
      pool = BatchPool.generate(s.pool(), s.batch(), SEED, Set.of(WireFormat.OTLP_PROTO));
      source = pool.rotating(WireFormat.OTLP_PROTO);
      duration = Duration.ofSeconds(s.durationSeconds());
    } else {
      source = new FreshBatches(WireFormat.OTLP_PROTO, s.producers(), s.batch(), SEED,
          Math.max(4, 2 * s.connections()));
      duration = Duration.ofSeconds(s.durationSeconds());
    }
    if (pool != null) {
      System.out.printf("%,d batches, %.0f bytes per span on the wire, %,.0f MB, ready in %.1f s%n",
          pool.batches(), pool.bytesPerSpan(WireFormat.OTLP_PROTO),
          pool.bytes(WireFormat.OTLP_PROTO) / 1e6, (System.nanoTime() - t0) / 1e9);
    }
    try (source) {
      if (s.generatorOnly()) {
        generatorOnly(source, s.connections(), duration);
      } else {
        ingest(s, source, duration);
      }
    }
  }

  private static void ingest(Settings s, BatchSource source, Duration duration)
      throws Exception {
    StrandConfig config = StrandConfig.defaults()
        .with(ConfigKey.BIND_ADDRESS, "127.0.0.1")
        .with(ConfigKey.QUERY_PORT, "0").with(ConfigKey.OTLP_GRPC_PORT, "0")
        .with(ConfigKey.OTLP_HTTP_PORT, "0").with(ConfigKey.ZIPKIN_PORT, "0")
        .with(ConfigKey.DATA_DIR, s.data().toString());
    long pid = ProcessHandle.current().pid();
    var heap = ManagementFactory.getMemoryMXBean();
    try (StrandServer server = StrandServer.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces");
      boolean sustained = s.durationSeconds() != null;
      System.out.printf("%nOTLP/HTTP protobuf, %d connections, batches of %d, %s%n  source: %s%n",
          s.connections(), s.batch(), sustained ? "for " + s.durationSeconds() + " s"
              : "until all are sent", source.describe());
      AckedSample sample = new AckedSample(s.sample());
      HttpLoad.warmUp(uri, source, s.connections(), Duration.ofSeconds(s.warmupSeconds()),
          sample);
      HttpLoad.Result result = HttpLoad.send(uri, source, s.connections(), duration,
          new HttpLoad.Probes(() -> ProcStatus.rssBytes(pid),
              () -> heap.getHeapMemoryUsage().getUsed()), sample);
      report(result, sustained, pid);
      System.out.printf("  live heap after a full GC: %,d MiB (the server's in-memory state and"
          + " the pool, if any)%n", liveHeapAfterGc() >> 20);

      TraceCheck.Outcome check = TraceCheck.run(
          URI.create("http://127.0.0.1:" + server.zipkinPort()), sample.traces());
      System.out.printf("  read back by id: %d of %d sampled acknowledged traces complete%n",
          check.complete(), check.uris().size());

      RocksDbStorage store = (RocksDbStorage) server.storage();
      store.flush();
      long beforeCompaction = store.diskBytes();
      store.compact();
      long afterCompaction = store.diskBytes();
      System.out.printf("  on disk: %.1f bytes/span after flush, %.1f bytes/span after"
          + " compaction (%,d bytes)%n", beforeCompaction / (double) result.ackedSpans(),
          afterCompaction / (double) result.ackedSpans(), afterCompaction);
    }
  }

  private static void report(HttpLoad.Result r, boolean sustained, long pid) {
    System.out.printf("  acknowledged %,d spans in %.2f s = %,.0f spans/s on average (%.1f MB/s)%n",
        r.ackedSpans(), r.seconds(), r.spansPerSecond(), r.ackedBytes() / r.seconds() / 1e6);
    for (int width : new int[] {1, 5}) {
      HttpLoad.Intervals i = r.intervals(width);
      if (i.count() > 0) {
        System.out.printf("  per %d s: lowest %,.0f, median %,.0f, highest %,.0f spans/s"
            + " (%d whole intervals)%n", width, i.min(), i.median(), i.max(), i.count());
      }
    }
    System.out.printf("  refused: %,d requests (%,d answered 429, retried after Retry-After)%n",
        r.refusedRequests(), r.tooManyRequests());
    long[] rss = r.rssPerSecond();
    System.out.printf("  memory of this process (server and load generator): peak RSS %,d MiB%s;"
        + " heap used at most %,d MiB (sampled each second) of %,d MiB max%n",
        ProcStatus.peakRssBytes(pid) >> 20, rss.length == 0 ? ""
            : String.format(", RSS %,d MiB after 1 s and %,d MiB at the end", rss[0] >> 20,
                rss[rss.length - 1] >> 20),
        r.peakHeapUsedSampled() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    if (sustained) {
      System.out.printf("  load generator producing bodies (sending them not included): %.2f"
          + " CPU-s for %,d spans = %.3f µs per span, %.3f cores on average%n",
          r.sourceCpuSeconds(), r.sourceSpans(), r.sourceCpuSeconds() * 1e6 / r.sourceSpans(),
          r.sourceCpuSeconds() / r.seconds());
    }
  }

  /** Used heap right after a full collection: what is retained. */
  private static long liveHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The source alone, no server: {@code threads} threads take bodies as fast as it gives them
   * and drop them. Its CPU per span, times the target rate, is what it takes from the server.
   */
  private static void generatorOnly(BatchSource source, int threads, Duration duration)
      throws InterruptedException {
    var os = (com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    System.out.printf("%ngenerator only (no server), %d threads taking bodies for %d s%n"
        + "  source: %s%n", threads, duration.toSeconds(), source.describe());
    LongAdder spans = new LongAdder();
    LongAdder bytes = new LongAdder();
    double sourceBefore = source.cpuSeconds();
    long cpuBefore = os.getProcessCpuTime();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<Thread> takers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          while (System.nanoTime() < deadline) {
            Batch b = source.next();
            if (b == null) {
              return;
            }
            spans.add(b.spans());
            bytes.add(b.body().length);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "take-" + t);
      th.start();
      takers.add(th);
    }
    for (Thread th : takers) {
      th.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double processCpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
    double sourceCpu = source.cpuSeconds() - sourceBefore;
    long n = spans.sum();
    System.out.printf("  produced %,d spans in %.1f s = %,.0f spans/s (%.0f bytes/span)%n", n,
        seconds, n / seconds, bytes.sum() / (double) n);
    System.out.printf("  source CPU: %.2f CPU-s = %.3f µs per span -> %.3f cores at 100,000"
        + " spans/s%n", sourceCpu, sourceCpu * 1e6 / n, sourceCpu * 1e6 / n / 10);
    System.out.printf("  whole process CPU (with GC and JIT): %.2f CPU-s = %.3f µs per span ->"
        + " %.3f cores at 100,000 spans/s%n", processCpu, processCpu * 1e6 / n,
        processCpu * 1e6 / n / 10);
    System.out.printf("  memory: peak RSS %,d MiB, live heap after a full GC %,d MiB%n",
        ProcStatus.peakRssBytes(ProcessHandle.current().pid()) >> 20, liveHeapAfterGc() >> 20);
  }
}
