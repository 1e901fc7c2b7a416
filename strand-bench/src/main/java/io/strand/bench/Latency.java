package io.strand.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Times HTTP GETs one after another and reports percentiles of the successful ones. */
public final class Latency {

  /**
   * Percentiles in milliseconds.
   *
   * @param p50 median
   * @param p99 99th percentile
   * @param ok requests whose answer passed the check
   * @param failed requests that did not
   */
  public record Summary(double p50, double p99, int ok, int failed) {}

  /** One read may take this long; a server stalled in GC must not hang the benchmark. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** All reads of one check or measurement together; what is left after it counts as failed. */
  static final Duration READ_BUDGET = Duration.ofMinutes(2);

  private Latency() {}

  /**
   * GETs each URI in turn ({@code rounds} passes); {@code check} decides success. Requests past
   * {@link #READ_BUDGET} are not sent and count as failed.
   */
  public static Summary measure(List<URI> uris, int rounds, Predicate<HttpResponse<String>> check)
      throws InterruptedException {
    long[] nanos = new long[uris.size() * rounds];
    int ok = 0;
    int failed = 0;
    long deadline = System.nanoTime() + READ_BUDGET.toNanos();
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build()) {
      for (int r = 0; r < rounds; r++) {
        for (URI uri : uris) {
          long t0 = System.nanoTime();
          if (t0 > deadline) {
            failed++;
            continue;
          }
          HttpResponse<String> response;
          try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
          } catch (IOException e) {
            failed++;
            continue;
          }
          long took = System.nanoTime() - t0;
          if (check.test(response)) {
            nanos[ok++] = took;
          } else {
            failed++;
          }
        }
      }
    }
    long[] sorted = Arrays.copyOf(nanos, ok);
    Arrays.sort(sorted);
    return new Summary(percentile(sorted, 0.50), percentile(sorted, 0.99), ok, failed);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }
}
