package io.strand.bench;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.query.TraceSearchService;
import io.strand.storage.rocksdb.RocksDbConfig;
import io.strand.storage.rocksdb.RocksDbStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Query latency over a large embedded store: loads realistic spans spread over 24 hours straight
 * into RocksDB (no HTTP, so loading is quick), compacts, then times the search issue's query mix
 * through the same engine the APIs use, and prints p50/p99 per query type.
 *
 * <p>Usage: {@code QueryBenchmark [--spans 10000000] [--runs 100] [--data DIR]}.
 */
public final class QueryBenchmark {
  private static final long DAY_NANOS = Duration.ofDays(1).toNanos();
  private static final String[] SERVICES = {"frontend", "checkout", "payment", "inventory",
      "shipping", "recommendation", "auth", "search"};

  private QueryBenchmark() {}

  public static void main(String[] args) throws Exception {
    long spans = 10_000_000L;
    int runs = 100;
    Path data = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--spans" -> spans = Long.parseLong(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--data" -> data = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (data == null) {
      data = Files.createTempDirectory("strand-query-bench-");
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    long traces = spans / 10;
    try (RocksDbStorage store = RocksDbStorage.open(RocksDbConfig.builder(data)
        .retentionMaxBytes(Long.MAX_VALUE / 2).build())) {
      List<TraceId> sample = load(store, spans, now - DAY_NANOS, DAY_NANOS / traces);
      store.compact();
      System.out.printf("store: %,d bytes on disk, %.1f bytes/span after compaction%n",
          store.diskBytes(), store.diskBytes() / (double) spans);
      measure(store, sample, now, runs);
    }
  }

  /** Writes the spans from 2 threads in batches of 1,000; returns a sample of trace ids. */
  private static List<TraceId> load(RocksDbStorage store, long spans, long start,
      long spacingNanos) throws Exception {
    System.out.printf("loading %,d spans (traces of 5–15 spans over 24 h)...%n", spans);
    TraceGenerator generator = new TraceGenerator(7, start, spacingNanos, 5, 15);
    List<TraceId> sample = new ArrayList<>();
    ExecutorService writers = Executors.newFixedThreadPool(2);
    List<Future<?>> pending = new ArrayList<>();
    long t0 = System.nanoTime();
    long written = 0;
    List<Span> batch = new ArrayList<>(1100);
    while (written < spans) {
      List<Span> trace = generator.nextTrace();
      if (sample.size() < 1000 && (written / 1000) % 50 == 0) {
        sample.add(trace.get(0).traceId());
      }
      batch.addAll(trace);
      written += trace.size();
      if (batch.size() >= 1000) {
        List<Span> full = batch;
        pending.add(writers.submit(() -> store.spanWriter().write(full)));
        batch = new ArrayList<>(1100);
        if (pending.size() >= 8) {
          pending.remove(0).get();
        }
      }
    }
    store.spanWriter().write(batch);
    for (Future<?> f : pending) {
      f.get();
    }
    writers.shutdown();
    System.out.printf("loaded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    return sample;
  }

  private static void measure(RocksDbStorage store, List<TraceId> sample, long now, int runs) {
    TraceSearchService search = new TraceSearchService(store);
    SplittableRandom random = new SplittableRandom(3);
    long from = now - DAY_NANOS - 3_600_000_000_000L;
    report("trace by id", runs * 10, i -> store.traceReader()
        .getTrace(sample.get(random.nextInt(sample.size()))));
    report("service + operation + duration, limit 20", runs, i -> {
      String service = SERVICES[random.nextInt(SERVICES.length)];
      search.search("{ resource.service.name = \"" + service + "\" && name = \"GET /api/v1/"
          + "resource" + (4 * random.nextInt(2)) + "/{id}\" && duration > 50ms }", from, now, 20);
    });
    report("attribute equality, 24 h, limit 20", runs, i -> search.search(
        "{ span.http.response.status_code = 503 }", from, now, 20));
    report("structural, 24 h, limit 20", runs, i -> search.search(
        "{ resource.service.name = \"frontend\" } >> { status = error }", from, now, 20));
  }

  private static void report(String name, int runs, IntConsumer query) {
    for (int i = 0; i < Math.max(3, runs / 10); i++) {
      query.accept(i);
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      query.accept(i);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf("%-45s p50 %8.2f ms   p99 %8.2f ms   (%d runs)%n", name,
        nanos[runs / 2] / 1e6, nanos[Math.max(0, (int) Math.ceil(runs * 0.99) - 1)] / 1e6, runs);
  }
}
