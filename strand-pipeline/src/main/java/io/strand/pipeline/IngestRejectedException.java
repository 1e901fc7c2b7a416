package io.strand.pipeline;

/**
 * A batch was refused because the pipeline is full; the sender should retry later. Preallocated
 * without a stack trace: under overload this is thrown often and the trace says nothing.
 */
public final class IngestRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final IngestRejectedException QUEUE_FULL =
      new IngestRejectedException("ingest queue is full; retry later");

  private IngestRejectedException(String message) {
    super(message, null, false, false);
  }
}
