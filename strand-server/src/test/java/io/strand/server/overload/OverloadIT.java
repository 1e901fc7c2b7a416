package io.strand.server.overload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.strand.server.ServerProcess;
import io.strand.server.TestServers;
import io.strand.server.overload.MetricsWatch.Scrape;
import io.strand.server.overload.SdkSender.ExportedTrace;
import io.strand.server.overload.SdkSender.Protocol;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More load than the server can take, for a bounded time: the shipped server runs as its own JVM
 * with a small heap and a small ingest queue, and several threads export through the real
 * OpenTelemetry Java SDK exporters (half OTLP/gRPC, half OTLP/HTTP, retry enabled) back to back,
 * with no pauses. The server must refuse what it cannot queue (429 / RESOURCE_EXHAUSTED) rather
 * than buffer it: it stays up and ready, its heap stays under its maximum, its queue within its
 * bounds, and every span the SDKs report as exported is stored and readable by its trace id.
 *
 * <p>The run prints the figures: spans offered, exported, failed after the SDK's retries, spans
 * the server stored per second while saturated, refusals, and the server's heap high-water mark.
 * {@code -Dstrand.overload.seconds=N} changes how long the load lasts (default 20).
 */
class OverloadIT {
  private static final Path JAR = Path.of("target", "strand.jar");
  private static final int HEAP_MIB = 256;
  private static final int SENDERS = 6;
  private static final int SPANS_PER_BATCH = 512;
  /**
   * The server's queue: one writer, at most 4 batches waiting for it and 2048 spans (4 exports)
   * waiting or being written, so 6 senders saturate it.
   */
  private static final int WRITER_THREADS = 1;
  private static final int QUEUED_BATCHES = 4;
  private static final int QUEUED_SPANS = 4 * SPANS_PER_BATCH;
  private static final Duration LOAD =
      Duration.ofSeconds(Long.getLong("strand.overload.seconds", 20));
  private static final Duration SCRAPE_PERIOD = Duration.ofMillis(250);
  /** The exporters' timeout, which bounds one export with all its retries. */
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(15);
  /**
   * The SDK's retry: 5 attempts is the most its {@code RetryPolicy} accepts. OTLP/HTTP waits the
   * server's {@code Retry-After} (1 s); OTLP/gRPC does not read {@code RetryInfo} and backs off
   * 250 ms, 500 ms, 1 s, 2 s with jitter.
   */
  private static final RetryPolicy RETRY = RetryPolicy.builder()
      .setMaxAttempts(5)
      .setInitialBackoff(Duration.ofMillis(250))
      .setMaxBackoff(Duration.ofSeconds(2))
      .setBackoffMultiplier(2)
      .build();
  private static final int READ_THREADS = 4;
  /** Exported traces read back at most; all of them unless the machine is fast. */
  private static final int MAX_TRACES_READ = 1500;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  @TempDir Path work;

  @Test
  void saturatedServerRefusesWhatItCannotQueueAndStoresEverythingItAcknowledged()
      throws Exception {
    assertThat(JAR).as("the shaded jar is built before integration tests").exists();
    long testStart = System.nanoTime();
    Path gcLogFile = work.resolve("gc.log");
    // the SDK exporters log every failed export; hundreds of them are expected here
    Logger otelLogger = Logger.getLogger("io.opentelemetry");
    Level otelLevel = otelLogger.getLevel();
    otelLogger.setLevel(Level.SEVERE);
    // a copy, so a build rewriting target/ meanwhile cannot pull classes from under the server
    Path jar = Files.copy(JAR, work.resolve("strand.jar"));
    try (ServerProcess server = ServerProcess.startJar(jar, "server", data,
        List.of("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError",
            "-Xlog:gc:file=" + gcLogFile),
        "--ingest.writer-threads=" + WRITER_THREADS,
        "--ingest.queued-batches=" + QUEUED_BATCHES,
        "--ingest.queued-spans=" + QUEUED_SPANS)) {
      awaitReady(server);
      long startupMs = millisSince(testStart);
      run(server, gcLogFile, startupMs, testStart);
    } finally {
      otelLogger.setLevel(otelLevel);
    }
  }

  private void run(ServerProcess server, Path gcLogFile, long startupMs, long testStart)
      throws Exception {
    int queryPort = server.queryPort();
    String runPrefix = String.format("%08x", ThreadLocalRandom.current().nextInt() | 1);
    List<SdkSender> senders = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Scrape before;
    Scrape atDeadline;
    long loadStart;
    long deadline;
    long loadEnd;
    List<Scrape> scrapes;
    List<String> scrapeErrors;
    int scrapeAttempts;
    try (MetricsWatch watch = MetricsWatch.start(queryPort, SCRAPE_PERIOD)) {
      before = MetricsWatch.scrapeOnce(queryPort);
      loadStart = System.nanoTime();
      deadline = loadStart + LOAD.toNanos();
      for (int i = 0; i < SENDERS; i++) {
        Protocol protocol = i % 2 == 0 ? Protocol.GRPC : Protocol.HTTP;
        SdkSender sender = new SdkSender(i, protocol, server, runPrefix, SPANS_PER_BATCH,
            deadline, EXPORT_TIMEOUT, RETRY);
        senders.add(sender);
        Thread t = new Thread(sender, "sdk-sender-" + i + "-" + protocol.label);
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);
      TimeUnit.NANOSECONDS.sleep(Math.max(0, deadline - System.nanoTime()));
      atDeadline = MetricsWatch.scrapeOnce(queryPort);
      // exports begun before the deadline finish (or fail) within the exporters' timeout
      long joinBy = System.nanoTime() + EXPORT_TIMEOUT.plusSeconds(20).toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinBy - System.nanoTime())));
      }
      loadEnd = System.nanoTime();
      assertThat(threads.stream().filter(Thread::isAlive).map(Thread::getName).toList())
          .as("senders still exporting %d s after the deadline",
              TimeUnit.NANOSECONDS.toSeconds(loadEnd - deadline))
          .isEmpty();
      Thread.sleep(SCRAPE_PERIOD.toMillis()); // one more scrape after the last export
      scrapes = watch.scrapes();
      scrapeErrors = watch.errors();
      scrapeAttempts = watch.attempts();
    }
    for (SdkSender s : senders) {
      assertThat(s.crash()).as("sender %d (%s) ended with an exception", s.index(),
          s.protocol().label).isNull();
    }

    // The server is up, ready, and was never out of heap.
    long pid = server.pid();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("server process %d alive after the overload; its output:%n%s", pid,
            String.join("\n", server.output()))
        .isTrue();
    assertThat(TestServers.get(queryPort, "/ready").statusCode()).as("/ready").isEqualTo(200);
    Scrape after = MetricsWatch.scrapeOnce(queryPort);
    String vmHwm = procStatus(pid, "VmHWM");
    String vmRss = procStatus(pid, "VmRSS");
    GcLog gc = GcLog.read(gcLogFile);
    String output = String.join("\n", server.output());
    assertThat(output).as("server output").doesNotContain("OutOfMemoryError");

    // Tally what the SDKs reported.
    List<ExportedTrace> exported = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> unresolved = new ArrayList<>();
    long attemptedBatches = 0;
    for (SdkSender s : senders) {
      exported.addAll(s.exported());
      failed.addAll(s.failedTraces());
      unresolved.addAll(s.unresolvedTraces());
      attemptedBatches += s.attemptedBatches();
    }
    long offeredSpans = attemptedBatches * SPANS_PER_BATCH;
    long exportedSpans = exported.stream().mapToLong(ExportedTrace::spans).sum();

    // Figures.
    double loadSeconds = (atDeadline.atNanos() - before.atNanos()) / 1e9;
    long storedInWindow = atDeadline.storedSpans() - before.storedSpans();
    long heapMax = after.heapMax();
    long scrapedHeapHigh = scrapes.stream().mapToLong(Scrape::heapUsed).max().orElse(0);
    long heapHigh = Math.max(scrapedHeapHigh, gc.maxBeforeBytes());
    long queueSpansHigh = scrapes.stream().mapToLong(Scrape::queueSpans).max().orElse(0);
    long queueBytesHigh = scrapes.stream().mapToLong(Scrape::queueBytes).max().orElse(0);
    SteadyRate steady = steadyRate(scrapes, loadStart, deadline);
    log("server: -Xmx%dm, ingest.writer-threads=%d, queued-batches=%d, queued-spans=%d; "
        + "started in %d ms; %d CPUs, load average %s", HEAP_MIB, WRITER_THREADS,
        QUEUED_BATCHES, QUEUED_SPANS, startupMs, Runtime.getRuntime().availableProcessors(),
        loadAverage());
    log("load: %d senders (%d OTLP/gRPC, %d OTLP/HTTP SDK exporters, %d spans per export, "
        + "retry %d attempts), %.1f s, then %d ms until the last export ended",
        SENDERS, (SENDERS + 1) / 2, SENDERS / 2, SPANS_PER_BATCH, RETRY.getMaxAttempts(),
        LOAD.toMillis() / 1e3, TimeUnit.NANOSECONDS.toMillis(loadEnd - deadline));
    for (SdkSender s : senders) {
      log("  sender %d %-9s %5d exports: %5d exported, %4d failed after retries, "
          + "%d unresolved; export took %d ms mean, %d ms max", s.index(), s.protocol().label,
          s.attemptedBatches(), s.exported().size(), s.failedTraces().size(),
          s.unresolvedTraces().size(), s.exportMillisMean(), s.exportMillisMax());
    }
    log("offered   %,10d spans (%,d exports)", offeredSpans, attemptedBatches);
    log("exported  %,10d spans (SDK success, %,d exports)", exportedSpans, exported.size());
    log("failed    %,10d spans (SDK failure after retries, %,d exports)",
        (long) failed.size() * SPANS_PER_BATCH, failed.size());
    log("unresolved %,9d spans (no result within %d s)",
        (long) unresolved.size() * SPANS_PER_BATCH, EXPORT_TIMEOUT.plusSeconds(10).toSeconds());
    log("server stored %,d spans in the %.1f s load window: %,.0f spans/s "
        + "(%,.0f spans/s from second 2 to the deadline, %d of %d seconds with refusals); "
        + "%,d spans stored in all", storedInWindow, loadSeconds, storedInWindow / loadSeconds,
        steady.spansPerSecond(), steady.secondsWithRefusals(), steady.seconds(),
        after.storedSpans());
    log("server refused %,d requests (%,d spans) as overloaded; %,d requests stored; "
        + "%d store failures", after.overloadedRequests(), after.overloadedSpans(),
        after.storedRequests(), after.storeFailedRequests());
    log("server heap: high-water %.1f MiB of %.0f MiB max (scraped %.1f MiB; GC log: %d pauses, "
        + "%d full, %.1f MiB before, %.1f MiB after at most); committed %.1f MiB at the end; "
        + "VmHWM %s, VmRSS %s", mib(heapHigh), mib(heapMax), mib(scrapedHeapHigh), gc.pauses(),
        gc.fullPauses(), mib(gc.maxBeforeBytes()), mib(gc.maxAfterBytes()),
        mib(after.heapCommitted()), vmHwm, vmRss);
    log("server queue high-water: %,d spans, %.1f MiB (%d scrapes of %d answered)",
        queueSpansHigh, mib(queueBytesHigh), scrapes.size(), scrapeAttempts);

    // The load really overloaded the server, and the server bounded what it held.
    assertThat(after.overloadedRequests())
        .as("the server never refused a request as overloaded, so this test tested nothing: "
            + "make the load heavier or the queue smaller (stored %,d spans at %,.0f spans/s)",
            after.storedSpans(), storedInWindow / loadSeconds)
        .isPositive();
    assertThat(heapMax).as("heap max reported by the server").isPositive()
        .isLessThanOrEqualTo((long) HEAP_MIB << 20);
    assertThat(heapHigh).as("heap high-water mark").isLessThan(heapMax);
    // What survives a collection is what the server holds on to; buffering refused load would
    // push it towards the maximum.
    assertThat(gc.maxAfterBytes()).as("heap after a GC pause, at most (%d pauses)", gc.pauses())
        .isLessThan(heapMax * 3 / 4);
    assertThat(queueSpansHigh).as("spans queued, at most the bound").isLessThanOrEqualTo(
        QUEUED_SPANS);
    assertThat(after.storeFailedRequests()).as("store failures").isZero();
    assertThat(scrapes).as("/metrics answered during the overload; errors: %s", scrapeErrors)
        .hasSizeGreaterThan(scrapeAttempts / 2);
    assertThat(exported).as("exports the SDKs reported successful").isNotEmpty();
    assertThat(after.storedSpans())
        .as("spans the server counts as stored, at least those the SDKs report exported")
        .isGreaterThanOrEqualTo(exportedSpans);

    // Every exported trace is stored whole. On a fast machine there may be too many to read
    // within the time budget; then a random sample is read (the seed is printed).
    List<ExportedTrace> toRead = exported;
    String sampled = "";
    if (exported.size() > MAX_TRACES_READ) {
      long seed = ThreadLocalRandom.current().nextLong();
      List<ExportedTrace> shuffled = new ArrayList<>(exported);
      Collections.shuffle(shuffled, new Random(seed));
      toRead = shuffled.subList(0, MAX_TRACES_READ);
      sampled = String.format(" (a sample of %,d, seed %d)", exported.size(), seed);
    }
    long readStart = System.nanoTime();
    List<TraceRead> reads = readAll(queryPort,
        toRead.stream().map(ExportedTrace::traceId).toList());
    long readMs = millisSince(readStart);
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < toRead.size(); i++) {
      ExportedTrace want = toRead.get(i);
      TraceRead got = reads.get(i);
      if (got.status() != 200 || got.spans() != want.spans()
          || got.distinctSpanIds() != want.spans() || got.error() != null) {
        missing.add(want.traceId() + ": exported " + want.spans() + " spans, read " + got);
      }
    }
    // The fate of the exports the SDKs gave up on, for the report: refused ones are not stored.
    List<TraceRead> failedReads = readAll(queryPort, failed);
    long failedButStored = failedReads.stream().filter(r -> r.status() == 200).count();
    long failedPartlyStored = failedReads.stream()
        .filter(r -> r.status() == 200 && r.spans() != SPANS_PER_BATCH).count();
    log("read back %,d exported traces%s in %d ms: %d incomplete or missing; of %d failed "
        + "exports %d are stored anyway (%d partly)", toRead.size(), sampled, readMs,
        missing.size(), failed.size(), failedButStored, failedPartlyStored);
    if (!missing.isEmpty()) {
      // tell a late write from a lost one
      Thread.sleep(2000);
      List<TraceRead> again = readAll(queryPort, missing.stream()
          .map(m -> m.substring(0, 32)).toList());
      log("re-read 2 s later: %s", again.subList(0, Math.min(10, again.size())));
    }
    assertThat(missing).as("SDK-acknowledged traces not stored whole (of %d read%s)",
        toRead.size(), sampled).isEmpty();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("server alive at the end").isTrue();
    assertThat(TestServers.get(queryPort, "/ready").statusCode()).as("/ready at the end")
        .isEqualTo(200);
    log("done in %.1f s", millisSince(testStart) / 1e3);
  }

  /** The answer of {@code GET /api/v1/traces/{id}}: spans, and distinct span ids among them. */
  record TraceRead(String traceId, int status, int spans, int distinctSpanIds, String error) {}

  private static List<TraceRead> readAll(int queryPort, List<String> traceIds)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS);
    try {
      List<Future<TraceRead>> futures = new ArrayList<>();
      for (String id : traceIds) {
        futures.add(pool.submit(() -> read(queryPort, id)));
      }
      List<TraceRead> reads = new ArrayList<>();
      for (Future<TraceRead> f : futures) {
        try {
          reads.add(f.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
          throw new AssertionError("reading a trace failed", e);
        }
      }
      return reads;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static TraceRead read(int queryPort, String traceId) throws IOException {
    HttpResponse<String> r = TestServers.get(queryPort, "/api/v1/traces/" + traceId);
    if (r.statusCode() != 200) {
      return new TraceRead(traceId, r.statusCode(), 0, 0, r.body());
    }
    JsonNode spans = JSON.readTree(r.body()).path("spans");
    Set<String> ids = new HashSet<>();
    String wrongTrace = null;
    for (JsonNode span : spans) {
      ids.add(span.path("spanId").asText());
      if (!traceId.equals(span.path("traceId").asText())) {
        wrongTrace = "span of trace " + span.path("traceId").asText();
      }
    }
    return new TraceRead(traceId, 200, spans.size(), ids.size(), wrongTrace);
  }

  /** Stored spans per second while saturated: from 2 s after the load began to its deadline. */
  record SteadyRate(double spansPerSecond, int seconds, int secondsWithRefusals) {}

  private static SteadyRate steadyRate(List<Scrape> scrapes, long loadStart, long deadline) {
    long from = loadStart + TimeUnit.SECONDS.toNanos(2);
    List<Scrape> window = scrapes.stream()
        .filter(s -> s.atNanos() >= from && s.atNanos() <= deadline).toList();
    if (window.size() < 2) {
      return new SteadyRate(0, 0, 0);
    }
    Scrape first = window.getFirst();
    Scrape last = window.getLast();
    double rate = (last.storedSpans() - first.storedSpans())
        / ((last.atNanos() - first.atNanos()) / 1e9);
    // per whole second of the window: did the server refuse anything in it?
    int seconds = 0;
    int withRefusals = 0;
    Scrape start = first;
    for (Scrape s : window) {
      if (s.atNanos() - start.atNanos() >= TimeUnit.SECONDS.toNanos(1)) {
        seconds++;
        if (s.overloadedRequests() > start.overloadedRequests()) {
          withRefusals++;
        }
        start = s;
      }
    }
    return new SteadyRate(rate, seconds, withRefusals);
  }

  private static void awaitReady(ServerProcess server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (TestServers.get(server.queryPort(), "/ready").statusCode() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // not answering yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("server not ready within 30 s; its output:\n"
            + String.join("\n", server.output()));
      }
      Thread.sleep(50);
    }
  }

  /** A line of {@code /proc/<pid>/status}, e.g. {@code VmHWM}, or "n/a" off Linux. */
  private static String procStatus(long pid, String field) {
    try {
      Optional<String> line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
          .stream().filter(l -> l.startsWith(field + ":")).findFirst();
      return line.map(l -> {
        String[] parts = l.substring(field.length() + 1).trim().split("\\s+");
        return parts.length == 2 && parts[1].equals("kB")
            ? String.format(Locale.ROOT, "%.1f MiB", Long.parseLong(parts[0]) / 1024.0)
            : l;
      }).orElse("n/a");
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** The 1, 5 and 15 minute load averages, or "n/a" off Linux. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static void log(String format, Object... args) {
    System.out.println("[OverloadIT] " + String.format(Locale.ROOT, format, args));
  }
}
