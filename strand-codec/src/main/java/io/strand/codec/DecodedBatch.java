package io.strand.codec;

import io.strand.model.Span;
import java.util.List;

/**
 * The outcome of decoding one request body, with OTLP partial-success semantics: spans that could
 * be decoded are kept, spans with invalid ids are counted as rejected.
 *
 * @param spans the accepted spans, in request order; unmodifiable
 * @param rejectedSpans how many spans were rejected
 * @param errorMessage the first rejection's message, naming the span and field; {@code null} when
 *     nothing was rejected
 */
public record DecodedBatch(List<Span> spans, int rejectedSpans, String errorMessage) {

  /** A batch with no spans and no rejections. */
  public static final DecodedBatch EMPTY = new DecodedBatch(List.of(), 0, null);

  /** Copies the span list and checks the counts. */
  public DecodedBatch {
    spans = List.copyOf(spans);
    if (rejectedSpans < 0) {
      throw new IllegalArgumentException("rejectedSpans must not be negative: " + rejectedSpans);
    }
    if (rejectedSpans > 0 && errorMessage == null) {
      throw new IllegalArgumentException("a batch with rejected spans needs an error message");
    }
  }

  /** Whether some spans were rejected (an OTLP partial success). */
  public boolean isPartial() {
    return rejectedSpans > 0;
  }
}
