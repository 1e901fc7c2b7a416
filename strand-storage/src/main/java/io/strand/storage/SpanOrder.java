package io.strand.storage;

import io.strand.model.Span;
import java.util.Comparator;

/** The order every backend returns a trace's spans in. */
public final class SpanOrder {

  /** By start time, then span id (unsigned), then kind: total for distinct stored spans. */
  public static final Comparator<Span> BY_START =
      Comparator.comparingLong(Span::startTimeUnixNano)
          .thenComparing(Span::spanId, Long::compareUnsigned)
          .thenComparing(Span::kind);

  private SpanOrder() {}
}
