package io.strand.codec.otlp;

import io.strand.codec.DecodedBatch;
import io.strand.model.Span;
import java.util.List;

/**
 * The spans of one OTLP request rejected for invalid ids: how many, and the first one's message,
 * which names that span by its place in the request. Shared by the protobuf and JSON decoders.
 */
final class RejectedSpans {
  private int count;
  private String firstMessage;

  /** Rejects span {@code i} of {@code resourceSpans[r].scopeSpans[s]} because of {@code error}. */
  void add(int r, int s, int i, String error) {
    if (count++ == 0) {
      firstMessage =
          "span " + i + " of resourceSpans[" + r + "].scopeSpans[" + s + "]: " + error;
    }
  }

  /** The decoded batch: the {@code accepted} spans plus these rejections. */
  DecodedBatch batch(List<Span> accepted) {
    return new DecodedBatch(accepted, count, firstMessage);
  }
}
