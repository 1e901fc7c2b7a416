package io.strand.storage.rocksdb;

import io.strand.bench.TraceGenerator;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.Range;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The store's write path alone, without HTTP or decoding: writes realistic spans (from {@link
 * TraceGenerator}) through {@link RocksDbStorage#spanWriter()} from several threads in synced
 * batches, as the server's writer threads do, and prints spans/s, bytes on disk per span after
 * flush and after full compaction, the share of each table, and the latency of a few searches.
 * Not a test: it asserts nothing. Run its {@code main} on the test class path:
 *
 * <pre>
 * WriteBenchmark [--spans 300000] [--batch 512] [--threads 4] [--warmup 100000] [--dir DIR]
 *     [--no-search]
 * </pre>
 *
 * The warm-up writes spans of another seed to another store first, so that the figures describe
 * compiled code, as in a server that has been running for a while.
 */
public final class WriteBenchmark {

  private WriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int spanCount = 300_000;
    int batchSize = 512;
    int threads = 4;
    Path dir = null;
    boolean search = true;
    int warmup = 100_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--spans" -> spanCount = Integer.parseInt(args[++i]);
        case "--batch" -> batchSize = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--no-search" -> search = false;
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("strand-write-bench-");
    }
    long t0 = System.currentTimeMillis() * 1_000_000L;
    if (warmup > 0) {
      Path warm = Files.createTempDirectory("strand-write-bench-warmup-");
      List<Span> spans = new TraceGenerator(7, t0).spans(warmup);
      try (RocksDbStorage store = RocksDbStorage.open(RocksDbConfig.of(warm))) {
        write(store, batches(spans, batchSize), threads);
        store.compact();
        searches(store, spans, false);
      }
      deleteTree(warm);
    }
    List<Span> all = new TraceGenerator(20_261_121L, t0).spans(spanCount);
    List<List<Span>> batches = batches(all, batchSize);
    long written = (long) batches.size() * batchSize;
    try (RocksDbStorage store = RocksDbStorage.open(RocksDbConfig.of(dir))) {
      System.out.printf("writing %,d spans...%n", written);
      System.out.flush();
      long start = System.nanoTime();
      long cpu0 = processCpuNanos();
      write(store, batches, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuMicros = (processCpuNanos() - cpu0) / 1e3 / written;
      System.out.printf("wrote %,d spans in %.2f s with %d threads, batches of %d: %,.0f spans/s%n",
          written, seconds, threads, batchSize, written / seconds);
      System.out.printf("process CPU while writing: %.1f µs/span (%,.0f spans/s per core)%n",
          cpuMicros, 1e6 / cpuMicros);
      long cpu1 = processCpuNanos();
      store.flush();
      System.out.printf("on disk after flush: %.1f bytes/span%n",
          store.diskBytes() / (double) written);
      store.compact();
      System.out.printf("on disk after compaction: %.1f bytes/span (%,d bytes)%n",
          store.diskBytes() / (double) written, store.diskBytes());
      System.out.printf("process CPU of flush and compaction: %.1f µs/span%n",
          (processCpuNanos() - cpu1) / 1e3 / written);
      if (search) {
        searches(store, all, true);
      }
    }
    tables(dir, written);
    deleteTree(dir);
  }

  private static List<List<Span>> batches(List<Span> all, int batchSize) {
    List<List<Span>> batches = new ArrayList<>();
    for (int i = 0; i + batchSize <= all.size(); i += batchSize) {
      batches.add(all.subList(i, i + batchSize));
    }
    return batches;
  }

  private static void write(RocksDbStorage store, List<List<Span>> batches, int threads)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().name("bench-writer-" + t).start(() -> {
        for (int b; (b = next.getAndIncrement()) < batches.size(); ) {
          store.spanWriter().write(batches.get(b));
        }
      }));
    }
    for (Thread w : workers) {
      w.join();
    }
  }

  private static void searches(RocksDbStorage store, List<Span> all, boolean print) {
    String path = all.stream().map(s -> s.attributes().getText("url.path"))
        .filter(p -> p != null).skip(1000).findFirst().orElse("/none");
    Map<String, TraceQuery> queries = new java.util.LinkedHashMap<>();
    queries.put("service checkout", TraceQuery.builder().serviceName("checkout").build());
    queries.put("status_code=503", q(Map.of("http.response.status_code", "503")));
    queries.put("method=GET (dense)", q(Map.of("http.request.method", "GET")));
    queries.put("db.system=postgresql (dense)", q(Map.of("db.system", "postgresql")));
    queries.put("url.path=<one>", q(Map.of("url.path", path)));
    queries.put("host.name=node-1 (resource)", q(Map.of("host.name", "node-1")));
    queries.put("checkout + 503", TraceQuery.builder().serviceName("checkout")
        .attributes(Map.of("http.response.status_code", "503")).build());
    queries.put("GET + 503", q(Map.of("http.request.method", "GET",
        "http.response.status_code", "503")));
    queries.put("url.path=/nope", q(Map.of("url.path", "/nope")));
    queries.put("checkout, duration>400ms", TraceQuery.builder().serviceName("checkout")
        .minDurationNanos(400_000_000L).build());
    for (Map.Entry<String, TraceQuery> e : queries.entrySet()) {
      List<TraceId> found = List.of();
      for (int i = 0; i < 20; i++) {
        found = store.traceSearch().findTraceIds(e.getValue());
      }
      long[] nanos = new long[50];
      for (int i = 0; i < nanos.length; i++) {
        long s = System.nanoTime();
        store.traceSearch().findTraceIds(e.getValue());
        nanos[i] = System.nanoTime() - s;
      }
      Arrays.sort(nanos);
      if (print) {
        System.out.printf("search %-30s %3d traces, median %8.3f ms, p90 %8.3f ms%n",
            e.getKey(), found.size(), nanos[25] / 1e6, nanos[45] / 1e6);
      }
    }
    long s = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      store.traceReader().getTrace(all.get(i * 97 % all.size()).traceId());
    }
    if (print) {
      System.out.printf("getTrace: %.3f ms each%n", (System.nanoTime() - s) / 1e6 / 1000);
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static TraceQuery q(Map<String, String> attributes) {
    return TraceQuery.builder().attributes(attributes).build();
  }

  /** Bytes and keys per table tag, summed over partitions, read from the closed store. */
  private static void tables(Path dir, long spans) throws Exception {
    List<byte[]> names;
    try (Options listing = new Options()) {
      names = RocksDB.listColumnFamilies(listing, dir.toString());
    }
    long[] bytes = new long[256];
    long[] keys = new long[256];
    long[] keyBytes = new long[256];
    long[] valueBytes = new long[256];
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
         RocksDB db = RocksDB.openReadOnly(options, dir.toString(),
             names.stream().map(ColumnFamilyDescriptor::new).toList(), handles)) {
      for (int i = 0; i < names.size(); i++) {
        if (!new String(names.get(i), StandardCharsets.UTF_8).startsWith("p-")) {
          continue;
        }
        ColumnFamilyHandle h = handles.get(i);
        List<Range> ranges = new ArrayList<>();
        List<Slice> slices = new ArrayList<>();
        for (int tag = 0; tag < 255; tag++) {
          Slice a = new Slice(new byte[] {(byte) tag});
          Slice b = new Slice(new byte[] {(byte) (tag + 1)});
          slices.add(a);
          slices.add(b);
          ranges.add(new Range(a, b));
        }
        long[] sizes = db.getApproximateSizes(h, ranges,
            org.rocksdb.SizeApproximationFlag.INCLUDE_FILES);
        for (int tag = 0; tag < sizes.length; tag++) {
          bytes[tag] += sizes[tag];
        }
        slices.forEach(Slice::close);
        try (RocksIterator it = db.newIterator(h)) {
          for (it.seekToFirst(); it.isValid(); it.next()) {
            int tag = it.key()[0] & 0xFF;
            keys[tag]++;
            keyBytes[tag] += it.key().length;
            valueBytes[tag] += it.value().length;
          }
        }
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
    System.out.println("table  keys/span  raw key+value B/span  on disk B/span");
    for (int tag = 0; tag < 256; tag++) {
      if (keys[tag] > 0) {
        System.out.printf("0x%02X  %9.3f  %20.1f  %14.1f%n", tag, keys[tag] / (double) spans,
            (keyBytes[tag] + valueBytes[tag]) / (double) spans, bytes[tag] / (double) spans);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
