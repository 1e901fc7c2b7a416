package io.strand.query;

import io.strand.model.AttributeValue;
import io.strand.model.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A span a query returned, with the fields its {@code select()} stages asked for.
 *
 * @param span the span
 * @param selected selected fields by their TraceQL name ({@code span.http.url}, {@code
 *     resource.service.name}, {@code span:name}...), in the order selected; fields the span lacks
 *     are left out. Durations are nanoseconds, statuses and kinds their lower-case names.
 */
public record SpanMatch(Span span, Map<String, AttributeValue> selected) {
  public SpanMatch {
    selected = Collections.unmodifiableMap(new LinkedHashMap<>(selected));
  }
}
