package io.strand.server.overload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes the server's {@code /metrics} on a fixed period in its own thread, keeping every
 * scrape's figures: heap, ingest queue, stored spans and refused requests.
 */
final class MetricsWatch implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** What one scrape saw; {@code atNanos} is {@link System#nanoTime()} when it was answered. */
  record Scrape(long atNanos, long heapUsed, long heapCommitted, long heapMax, long queueSpans,
      long queueBytes, long storedSpans, long storedRequests, long overloadedRequests,
      long overloadedSpans, long storeFailedRequests) {

    static Scrape of(long atNanos, PrometheusText m) {
      return new Scrape(atNanos,
          (long) m.sum("strand_jvm_heap_bytes", "area", "used"),
          (long) m.sum("strand_jvm_heap_bytes", "area", "committed"),
          (long) m.sum("strand_jvm_heap_bytes", "area", "max"),
          (long) m.sum("strand_ingest_queue_spans"),
          (long) m.sum("strand_ingest_queue_bytes"),
          (long) m.sum("strand_receiver_spans_total", "outcome", "stored"),
          (long) m.sum("strand_receiver_requests_total", "outcome", "stored"),
          (long) m.sum("strand_receiver_requests_total", "outcome", "overloaded"),
          (long) m.sum("strand_receiver_spans_total", "outcome", "overloaded"),
          (long) m.sum("strand_receiver_requests_total", "outcome", "store_failed"));
    }
  }

  private final URI uri;
  private final long periodMillis;
  private final List<Scrape> scrapes = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopping;

  private MetricsWatch(int queryPort, Duration period) {
    this.uri = URI.create("http://127.0.0.1:" + queryPort + "/metrics");
    this.periodMillis = period.toMillis();
    this.thread = new Thread(this::run, "metrics-watch");
    this.thread.setDaemon(true);
  }

  static MetricsWatch start(int queryPort, Duration period) {
    MetricsWatch watch = new MetricsWatch(queryPort, period);
    watch.thread.start();
    return watch;
  }

  /** One scrape now, on the caller's thread. */
  static Scrape scrapeOnce(int queryPort) throws IOException, InterruptedException {
    return fetch(URI.create("http://127.0.0.1:" + queryPort + "/metrics"));
  }

  /** The metrics text as served, for a failure message. */
  static String text(int queryPort) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + queryPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Scrape fetch(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    PrometheusText text = PrometheusText.parse(r.body());
    if (!text.has("strand_jvm_heap_bytes")) {
      throw new IOException("/metrics has no strand_jvm_heap_bytes");
    }
    return Scrape.of(System.nanoTime(), text);
  }

  private void run() {
    long next = System.nanoTime();
    while (!stopping) {
      attempts.incrementAndGet();
      try {
        scrapes.add(fetch(uri));
      } catch (IOException | RuntimeException e) {
        errors.add(e.toString());
      } catch (InterruptedException e) {
        return;
      }
      next += TimeUnit.MILLISECONDS.toNanos(periodMillis);
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(sleep);
        } catch (InterruptedException e) {
          return;
        }
      } else {
        next = System.nanoTime();
      }
    }
  }

  List<Scrape> scrapes() {
    return List.copyOf(scrapes);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  int attempts() {
    return attempts.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(15));
  }
}
