package io.strand.server.receiver;

import io.strand.codec.DecodedBatch;
import io.strand.pipeline.IngestRejectedException;
import io.strand.pipeline.SpanIngester;
import io.strand.pipeline.limits.LimitExceededException;
import io.strand.pipeline.limits.SpanLimiter;
import io.strand.server.metrics.StrandMetrics;
import io.strand.server.metrics.StrandMetrics.Outcome;
import io.strand.server.receiver.IngestOutcome.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one way every receiver hands a decoded request to the pipeline: limits first, then the
 * bounded queue, counting each outcome per protocol, so all protocols keep the same promises.
 */
public final class IngestGate {
  private final SpanIngester ingester;
  private final SpanLimiter limiter;
  private final StrandMetrics metrics;

  public IngestGate(SpanIngester ingester, SpanLimiter limiter, StrandMetrics metrics) {
    this.ingester = ingester;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /**
   * Applies the limits and queues the spans for a durable write.
   *
   * @param protocol metric label of the receiver
   * @param batch the decoded request
   * @param bytes the request's size after decompression
   * @return completes once the spans are durable, or with the reason they are not
   */
  CompletableFuture<IngestOutcome> submit(String protocol, DecodedBatch batch, long bytes) {
    int count = batch.spans().size();
    CompletableFuture<Void> written;
    try {
      written = ingester.ingest(limiter.apply(batch.spans()), bytes);
    } catch (LimitExceededException e) {
      metrics.received(protocol, Outcome.LIMITED, count);
      return CompletableFuture.completedFuture(new IngestOutcome(Kind.LIMITED, 0, e.getMessage()));
    } catch (IngestRejectedException e) {
      metrics.received(protocol, Outcome.OVERLOADED, count);
      return CompletableFuture.completedFuture(
          new IngestOutcome(Kind.OVERLOADED, 0, e.getMessage()));
    }
    return written.handle((ok, error) -> {
      if (error == null) {
        metrics.received(protocol, Outcome.STORED, count);
        if (batch.rejectedSpans() > 0) {
          metrics.rejectedSpans(protocol, batch.rejectedSpans());
        }
        return new IngestOutcome(Kind.STORED, batch.rejectedSpans(), batch.errorMessage());
      }
      metrics.received(protocol, Outcome.STORE_FAILED, count);
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      return new IngestOutcome(Kind.STORE_FAILED, 0, "storing spans failed: " + cause.getMessage());
    });
  }

  /** Counts a request refused before it reached the pipeline (undecodable, wrong type, too big). */
  void invalid(String protocol, int spanCount) {
    metrics.received(protocol, Outcome.INVALID, spanCount);
  }
}
