package io.strand.demo;

import io.opentelemetry.sdk.common.Clock;

/**
 * An SDK clock that reports simulated time instead of wall-clock time.
 *
 * <p>Spans get explicit timestamps everywhere, but {@code Span.recordException} has no timestamp
 * parameter and asks the tracer's clock. Pointing that clock at the simulation cursor keeps
 * exception events inside their span. {@link #now()} and {@link #nanoTime()} return the same value
 * so the SDK's per-trace anchored clock resolves to the cursor as well.
 */
final class SimClock implements Clock {
  private volatile long cursorNanos = Clock.getDefault().now();

  /** Moves the simulated "now" to the given epoch-nanosecond instant. */
  void set(long epochNanos) {
    cursorNanos = epochNanos;
  }

  @Override
  public long now() {
    return cursorNanos;
  }

  @Override
  public long nanoTime() {
    return cursorNanos;
  }
}
