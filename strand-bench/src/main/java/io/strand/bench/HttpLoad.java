package io.strand.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Posts batches over several HTTP/1.1 connections, as exporters do, and counts only
 * acknowledged spans: a 2xx answer. Each connection takes the next batch from a shared {@link
 * BatchSource} until the source runs out or the time is up (a request in flight then still
 * finishes and counts). A 429 or 503 answer is retried with the same batch after the server's
 * {@code Retry-After} (1 s when absent; at least 0.1 s, at most 5 s), as OTLP exporters do;
 * any other failure drops the batch. Acknowledgements are counted per second of the run, and
 * once a second the server's resident memory (and heap, where known) is sampled, with a
 * progress line every 5 s.
 */
public final class HttpLoad {

  /**
   * What a run achieved.
   *
   * @param ackedSpans spans in acknowledged batches
   * @param ackedBytes request bytes of acknowledged batches
   * @param refusedRequests requests answered with anything but 2xx, or failing (retries count)
   * @param tooManyRequests of those, answers 429 Too Many Requests
   * @param seconds wall-clock duration, until the last request finished
   * @param ackedPerSecond spans acknowledged in each second of the run (the last may be partial)
   * @param rssPerSecond the server's resident memory at the end of each full second, bytes
   * @param heapUsedPerSecond the server's used heap then, bytes; -1 when unknown
   * @param sourceCpuSeconds CPU the load generator spent producing bodies during the run (not
   *     sending them)
   * @param sourceSpans spans the load generator produced during the run
   */
  public record Result(long ackedSpans, long ackedBytes, long refusedRequests, long tooManyRequests,
      double seconds, long[] ackedPerSecond, long[] rssPerSecond, long[] heapUsedPerSecond,
      double sourceCpuSeconds, long sourceSpans) {

    public double spansPerSecond() {
      return ackedSpans / seconds;
    }

    /**
     * Acknowledged spans/s over consecutive whole intervals of {@code width} seconds (a partial
     * last interval left out): lowest, median and highest.
     */
    public Intervals intervals(int width) {
      int n = (int) Math.floor(seconds / width);
      n = Math.min(n, ackedPerSecond.length / width);
      double[] rates = new double[n];
      for (int i = 0; i < n; i++) {
        long sum = 0;
        for (int s = i * width; s < (i + 1) * width; s++) {
          sum += ackedPerSecond[s];
        }
        rates[i] = sum / (double) width;
      }
      Arrays.sort(rates);
      return n == 0 ? new Intervals(width, 0, Double.NaN, Double.NaN, Double.NaN)
          : new Intervals(width, n, rates[0], rates[(n - 1) / 2], rates[n - 1]);
    }

    /** Highest sampled used heap, -1 when unknown. */
    public long peakHeapUsedSampled() {
      return Arrays.stream(heapUsedPerSecond).max().orElse(-1);
    }
  }

  /**
   * Acknowledged spans/s per interval.
   *
   * @param width interval length in seconds
   * @param count whole intervals in the run
   * @param min slowest interval
   * @param median median interval (the lower middle one for an even count)
   * @param max fastest interval
   */
  public record Intervals(int width, int count, double min, double median, double max) {}

  /**
   * What to sample once a second besides acknowledgements.
   *
   * @param rssBytes the server's resident set size now
   * @param heapUsedBytes the server's used heap now, or -1
   */
  public record Probes(LongSupplier rssBytes, LongSupplier heapUsedBytes) {
    public static final Probes NONE = new Probes(() -> -1, () -> -1);
  }

  private HttpLoad() {}

  /**
   * Sends for {@code warmup} before a measured run, so that its figures leave out the JIT and
   * the server's first seconds; prints what it achieved. The acknowledged batches go to {@code
   * sample} too: they are stored like the others.
   */
  public static void warmUp(URI uri, BatchSource source, int connections, Duration warmup,
      AckedSample sample) throws InterruptedException {
    if (warmup.isZero()) {
      return;
    }
    System.out.printf("  warming up for %d s (not counted)...%n", warmup.toSeconds());
    Result r = send(uri, source, connections, warmup, Probes.NONE, sample);
    System.out.printf("  warm-up: %,d spans acknowledged in %.1f s = %,.0f spans/s, %,d requests"
        + " refused%n", r.ackedSpans(), r.seconds(), r.spansPerSecond(), r.refusedRequests());
  }

  /**
   * Sends batches from {@code source} until it runs out or {@code duration} has passed.
   *
   * @param sample offered every acknowledged batch, or null
   */
  public static Result send(URI uri, BatchSource source, int connections, Duration duration,
      Probes probes, AckedSample sample) throws InterruptedException {
    String contentType = source.format().contentType();
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong tooMany = new AtomicLong();
    double sourceCpuBefore = source.cpuSeconds();
    long sourceSpansBefore = source.spansProduced();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    int buckets = (int) Math.min(Integer.MAX_VALUE - 8, duration.toSeconds() + 600);
    AtomicLongArray perSecond = new AtomicLongArray(buckets);
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t = new Thread(() -> {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
          while (System.nanoTime() < deadline) {
            Batch batch = source.next();
            if (batch == null) {
              break;
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body())).build();
            while (true) {
              Answer answer = post(client, request);
              if (answer.acknowledged()) {
                acked.addAndGet(batch.spans());
                ackedBytes.addAndGet(batch.body().length);
                int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                perSecond.addAndGet(Math.min(second, buckets - 1), batch.spans());
                if (sample != null) {
                  sample.offer(batch);
                }
                break;
              }
              refused.incrementAndGet();
              if (answer.status() == 429) {
                tooMany.incrementAndGet();
              }
              long left = (deadline - System.nanoTime()) / 1_000_000;
              if (answer.retryAfterMillis() < 0 || left <= 0) {
                break; // not retryable, or no time left: dropped
              }
              Thread.sleep(Math.min(answer.retryAfterMillis(), left));
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-" + c);
      t.start();
      senders.add(t);
    }
    Monitor monitor = new Monitor(start, perSecond, probes, refused, tooMany, buckets);
    monitor.start();
    for (Thread t : senders) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    monitor.interrupt();
    monitor.join();
    int used = (int) Math.min(buckets, Math.ceil(seconds));
    long[] ackedPerSecond = new long[used];
    for (int i = 0; i < used; i++) {
      ackedPerSecond[i] = perSecond.get(i);
    }
    return new Result(acked.get(), ackedBytes.get(), refused.get(), tooMany.get(), seconds,
        ackedPerSecond,
        monitor.rss(), monitor.heap(), source.cpuSeconds() - sourceCpuBefore,
        source.spansProduced() - sourceSpansBefore);
  }

  /**
   * A server's answer.
   *
   * @param status the HTTP status, -1 when the request failed
   * @param retryAfterMillis for 429 and 503, how long to wait before sending again; else -1
   */
  private record Answer(int status, long retryAfterMillis) {
    boolean acknowledged() {
      return status >= 200 && status < 300;
    }
  }

  private static Answer post(HttpClient client, HttpRequest request) {
    try {
      HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = r.statusCode();
      if (status == 429 || status == 503) {
        long wait = r.headers().firstValue("retry-after").map(HttpLoad::seconds).orElse(1L);
        return new Answer(status, Math.max(100, Math.clamp(wait, 0, 5) * 1_000));
      }
      return new Answer(status, -1);
    } catch (IOException e) {
      return new Answer(-1, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(-1, -1);
    }
  }

  private static long seconds(String header) {
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Samples memory each second and prints progress every 5 s. */
  private static final class Monitor extends Thread {
    private final long start;
    private final AtomicLongArray perSecond;
    private final Probes probes;
    private final AtomicLong refused;
    private final AtomicLong tooMany;
    private final long[] rss;
    private final long[] heap;
    private int samples;

    Monitor(long start, AtomicLongArray perSecond, Probes probes, AtomicLong refused,
        AtomicLong tooMany, int buckets) {
      super("load-monitor");
      setDaemon(true);
      this.start = start;
      this.perSecond = perSecond;
      this.probes = probes;
      this.refused = refused;
      this.tooMany = tooMany;
      this.rss = new long[buckets];
      this.heap = new long[buckets];
    }

    @Override
    public void run() {
      try {
        for (int s = 1; s < rss.length; s++) {
          long wait = start + s * 1_000_000_000L - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
          rss[s - 1] = probes.rssBytes().getAsLong();
          heap[s - 1] = probes.heapUsedBytes().getAsLong();
          samples = s;
          if (s % 5 == 0) {
            long sum = 0;
            for (int i = s - 5; i < s; i++) {
              sum += perSecond.get(i);
            }
            System.out.printf("  %5d s %,12.0f spans/s (last 5 s)%s%s   refused %,d (429: %,d)%n",
                s, sum / 5.0,
                rss[s - 1] < 0 ? "" : String.format("   RSS %,6d MiB", rss[s - 1] >> 20),
                heap[s - 1] < 0 ? "" : String.format("   heap used %,6d MiB", heap[s - 1] >> 20),
                refused.get(), tooMany.get());
          }
        }
      } catch (InterruptedException e) {
        // the run is over
      }
    }

    long[] rss() {
      return Arrays.copyOf(rss, samples);
    }

    long[] heap() {
      return Arrays.copyOf(heap, samples);
    }
  }
}
