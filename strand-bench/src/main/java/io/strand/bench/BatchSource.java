package io.strand.bench;

/**
 * Where the senders take their request bodies from. Thread-safe: every sender calls {@link
 * #next} concurrently.
 */
public interface BatchSource extends AutoCloseable {

  /** The next body to send, or null when there are no more. */
  Batch next() throws InterruptedException;

  /** What the bodies are encoded as. */
  WireFormat format();

  /** One line saying where the bodies come from, for the report. */
  String describe();

  /**
   * CPU time spent producing bodies so far, in seconds: encoding or rewriting, not sending.
   * NaN when not measured.
   */
  double cpuSeconds();

  /** Spans in the bodies produced so far (given out or waiting to be). */
  long spansProduced();

  @Override
  default void close() {}
}
