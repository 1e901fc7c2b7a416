package io.strand.pipeline;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs store write failures so an operator sees at once that ingest is down and why, without a
 * line per refused batch when a full disk refuses thousands a second: the first failure is an
 * ERROR with the store's message, then one summary at most every {@link #REPEAT_NANOS}, and one
 * INFO line when writes succeed again.
 */
final class StoreFailureLog {
  static final Logger LOG = LoggerFactory.getLogger(SpanIngester.class);
  private static final long REPEAT_NANOS = 10_000_000_000L;

  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicLong failedSinceLog = new AtomicLong();
  private final AtomicLong lastLogNanos = new AtomicLong();

  void failed(int spans, RuntimeException e) {
    long now = System.nanoTime();
    failedSinceLog.addAndGet(spans);
    if (failing.compareAndSet(false, true)) {
      lastLogNanos.set(now);
      LOG.error("storing spans failed, ingest is refused (HTTP 503, gRPC UNAVAILABLE) until the"
          + " store accepts writes again: {}", e.getMessage());
      failedSinceLog.set(0);
      return;
    }
    long last = lastLogNanos.get();
    if (now - last >= REPEAT_NANOS && lastLogNanos.compareAndSet(last, now)) {
      LOG.error("store still failing: {} spans refused in the last {} s; last error: {}",
          failedSinceLog.getAndSet(0), (now - last) / 1_000_000_000L, e.getMessage());
    }
  }

  void succeeded() {
    if (failing.get() && failing.compareAndSet(true, false)) {
      LOG.info("store accepts writes again; ingest resumed");
    }
  }

  boolean failing() {
    return failing.get();
  }
}
