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

/**
 * The one entry point every receiver hands decoded spans to. Receivers decode on their own
 * threads (so bad input is answered at once) and never touch storage on the event loop: batches
 * go to a small pool of writer threads through a queue bounded in batches, spans and bytes. The
 * returned future completes only after the store reports the batch durable, which is when a
 * receiver may acknowledge it.
 *
 * <p>Several writer threads let the store group concurrent synchronous writes into one commit;
 * when the queue is full the batch is refused at once with {@link IngestRejectedException}
 * rather than buffered without bound, so overload becomes the senders' retry, not our heap.
 */
public final class SpanIngester implements AutoCloseable {

  private final SpanWriter writer;
  private final QueueBounds bounds;
  private final ThreadPoolExecutor pool;
  private final IngestCounters counters = new IngestCounters();
  private final StoreFailureLog failureLog = new StoreFailureLog();
  private final AtomicLong queuedSpans = new AtomicLong();
  private final AtomicLong queuedBytes = new AtomicLong();

  /**
   * @param writer where batches go
   * @param writerThreads threads writing concurrently, at least 1
   * @param bounds how much may be queued before refusing
   */
  public SpanIngester(SpanWriter writer, int writerThreads, QueueBounds bounds) {
    if (writerThreads < 1) {
      throw new IllegalArgumentException("writer threads must be at least 1");
    }
    this.writer = writer;
    this.bounds = bounds;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(writerThreads, writerThreads, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(bounds.batches()), r -> {
          Thread t = new Thread(r, "strand-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Queues a batch for a durable write.
   *
   * @param spans the batch
   * @param bytes the size of the request it came in, after decompression
   * @return a future completed once the batch is durable, or failed with the store's error
   * @throws IngestRejectedException at once when the queue is full
   */
  public CompletableFuture<Void> ingest(List<Span> spans, long bytes) {
    if (spans.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    int n = spans.size();
    if (!reserve(queuedSpans, n, bounds.spans())) {
      throw refused(n);
    }
    if (!reserve(queuedBytes, bytes, bounds.bytes())) {
      queuedSpans.addAndGet(-n);
      throw refused(n);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      pool.execute(() -> write(spans, bytes, done));
    } catch (RejectedExecutionException e) {
      release(n, bytes);
      throw refused(n);
    }
    return done;
  }

  /** Adds {@code n} unless that would pass {@code max}; an empty queue takes anything. */
  private static boolean reserve(AtomicLong queued, long n, long max) {
    while (true) {
      long now = queued.get();
      if (now > 0 && now + n > max) {
        return false;
      }
      if (queued.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  private IngestRejectedException refused(int spans) {
    counters.refused(spans);
    return IngestRejectedException.QUEUE_FULL;
  }

  private void release(int spans, long bytes) {
    queuedSpans.addAndGet(-spans);
    queuedBytes.addAndGet(-bytes);
  }

  private void write(List<Span> spans, long bytes, CompletableFuture<Void> done) {
    try {
      writer.write(spans);
      counters.stored(spans.size());
      failureLog.succeeded();
      release(spans.size(), bytes);
      done.complete(null);
    } catch (RuntimeException e) {
      counters.failed(spans.size());
      failureLog.failed(spans.size(), e);
      release(spans.size(), bytes);
      done.completeExceptionally(e);
    }
  }

  /** Counts of what happened to received spans. */
  public IngestCounters counters() {
    return counters;
  }

  /** Spans queued or being written now. */
  public long queuedSpans() {
    return queuedSpans.get();
  }

  /** Request bytes queued or being written now. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  /** The bounds this ingester refuses beyond. */
  public QueueBounds bounds() {
    return bounds;
  }

  /** Whether the last write failed in the store (disk full, I/O error): ingest is down. */
  public boolean storeFailing() {
    return failureLog.failing();
  }

  /** Finishes queued writes (bounded wait) and stops the writer threads. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        StoreFailureLog.LOG.warn(
            "writers did not finish in 30 s; unacknowledged batches are abandoned");
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
