package io.strand.query;

import io.strand.model.Span;
import java.util.List;

/**
 * What a query returned for one matching trace.
 *
 * @param spans the matched spans, each once, ordered by start time (then span id and kind)
 */
public record TraceMatch(List<SpanMatch> spans) {
  public TraceMatch {
    spans = List.copyOf(spans);
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a match has at least one span");
    }
  }

  /** The matched spans without their selected fields. */
  public List<Span> matchedSpans() {
    return spans.stream().map(SpanMatch::span).toList();
  }
}
