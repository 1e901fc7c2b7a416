package io.strand.pipeline;

import io.strand.model.Span;
import io.strand.storage.SpanWriter;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point every receiver hands decoded spans to. Receivers decode on their own
 * threads (so bad input is answered at once) and never touch storage on the event loop: batches
 * go to a small pool of writer threads through a bounded queue. The returned future completes
 * only after the store reports the batch durable, which is when a receiver may acknowledge it.
 *
 * <p>Several writer threads let the store group concurrent synchronous writes into one commit;
 * when the queue is full the batch is refused at once with {@link IngestRejectedException}
 * rather than buffered without bound.
 */
public final class SpanIngester implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpanIngester.class);

  private final SpanWriter writer;
  private final ThreadPoolExecutor pool;
  private final IngestCounters counters = new IngestCounters();

  /**
   * @param writer where batches go
   * @param writerThreads threads writing concurrently, at least 1
   * @param queuedBatches batches waiting beyond those being written, at least 1
   */
  public SpanIngester(SpanWriter writer, int writerThreads, int queuedBatches) {
    if (writerThreads < 1 || queuedBatches < 1) {
      throw new IllegalArgumentException("writer threads and queued batches must be at least 1");
    }
    this.writer = writer;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(writerThreads, writerThreads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queuedBatches), r -> {
          Thread t = new Thread(r, "strand-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Queues a batch for a durable write.
   *
   * @return a future completed once the batch is durable, or failed with the store's error
   * @throws IngestRejectedException at once when the queue is full
   */
  public CompletableFuture<Void> ingest(List<Span> spans) {
    if (spans.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      pool.execute(() -> write(spans, done));
    } catch (RejectedExecutionException e) {
      counters.refused(spans.size());
      throw IngestRejectedException.QUEUE_FULL;
    }
    return done;
  }

  private void write(List<Span> spans, CompletableFuture<Void> done) {
    try {
      writer.write(spans);
      counters.stored(spans.size());
      done.complete(null);
    } catch (RuntimeException e) {
      counters.failed(spans.size());
      LOG.warn("storing a batch of {} spans failed: {}", spans.size(), e.toString());
      done.completeExceptionally(e);
    }
  }

  /** Counts of what happened to received spans. */
  public IngestCounters counters() {
    return counters;
  }

  /** Finishes queued writes (bounded wait) and stops the writer threads. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("writers did not finish in 30 s; unacknowledged batches are abandoned");
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Running totals, safe to read from any thread. */
  public static final class IngestCounters {
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    void stored(int n) {
      stored.addAndGet(n);
    }

    void refused(int n) {
      refused.addAndGet(n);
    }

    void failed(int n) {
      failed.addAndGet(n);
    }

    /** Spans made durable. */
    public long storedSpans() {
      return stored.get();
    }

    /** Spans refused because the queue was full. */
    public long refusedSpans() {
      return refused.get();
    }

    /** Spans whose write failed in the store. */
    public long failedSpans() {
      return failed.get();
    }
  }
}
