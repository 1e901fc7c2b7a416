package io.strand.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts pre-encoded batches over several HTTP/1.1 connections, as exporters do, and counts only
 * acknowledged spans: a 2xx answer. Batches are taken in order from a shared cursor, so each is
 * sent once.
 */
public final class HttpLoad {

  /**
   * What a run achieved.
   *
   * @param ackedSpans spans in acknowledged batches
   * @param refusedRequests requests answered with anything but 2xx, or failing
   * @param seconds wall-clock duration
   */
  public record Result(long ackedSpans, long refusedRequests, double seconds) {
    public double spansPerSecond() {
      return ackedSpans / seconds;
    }
  }

  private HttpLoad() {}

  /**
   * Sends every batch (or stops at the deadline), each holding {@code spansPerBatch} spans.
   *
   * @param maxDuration stop taking new batches after this long
   */
  public static Result send(URI uri, String contentType, List<byte[]> batches, int spansPerBatch,
      int connections, Duration maxDuration) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + maxDuration.toNanos();
    List<Thread> senders = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t = new Thread(() -> {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
          for (int i = next.getAndIncrement(); i < batches.size() && System.nanoTime() < deadline;
              i = next.getAndIncrement()) {
            HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batches.get(i))).build();
            if (post(client, request)) {
              acked.addAndGet(spansPerBatch);
            } else {
              refused.incrementAndGet();
            }
          }
        }
      }, "load-" + c);
      t.start();
      senders.add(t);
    }
    for (Thread t : senders) {
      t.join();
    }
    return new Result(acked.get(), refused.get(), (System.nanoTime() - start) / 1e9);
  }

  private static boolean post(HttpClient client, HttpRequest request) {
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      return status >= 200 && status < 300;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
