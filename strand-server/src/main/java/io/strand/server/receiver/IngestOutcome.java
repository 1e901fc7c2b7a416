package io.strand.server.receiver;

import io.strand.codec.DecodedBatch;
import io.strand.pipeline.IngestRejectedException;
import io.strand.pipeline.SpanIngester;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What became of one received request, shared by every receiver so each maps the same outcomes
 * to its protocol: accepted (with a partial-success count), refused for overload, or failed in
 * the store.
 */
record IngestOutcome(Kind kind, int rejectedSpans, String message) {

  enum Kind {
    STORED,
    OVERLOADED,
    STORE_FAILED
  }

  /** Hands a decoded batch to the ingester; the future completes once the spans are durable. */
  static CompletableFuture<IngestOutcome> ingest(SpanIngester ingester, DecodedBatch batch) {
    CompletableFuture<Void> written;
    try {
      written = ingester.ingest(batch.spans());
    } catch (IngestRejectedException e) {
      return CompletableFuture.completedFuture(
          new IngestOutcome(Kind.OVERLOADED, 0, e.getMessage()));
    }
    return written.handle((ok, error) -> {
      if (error == null) {
        return new IngestOutcome(Kind.STORED, batch.rejectedSpans(), batch.errorMessage());
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      return new IngestOutcome(Kind.STORE_FAILED, 0, "storing spans failed: " + cause.getMessage());
    });
  }
}
