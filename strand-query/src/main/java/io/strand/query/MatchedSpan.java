package io.strand.query;

import io.strand.model.AttributeValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A span of a search result that the query matched.
 *
 * @param spanId the span id ({@link io.strand.model.SpanId#toHex} for display)
 * @param name span name
 * @param service the span's service
 * @param startTimeUnixNano start, nanoseconds since the epoch
 * @param durationNanos duration
 * @param selected fields the query's {@code select()} asked for, by TraceQL name, in the
 *     order selected
 */
public record MatchedSpan(
    long spanId,
    String name,
    String service,
    long startTimeUnixNano,
    long durationNanos,
    Map<String, AttributeValue> selected) {

  public MatchedSpan {
    selected = Collections.unmodifiableMap(new LinkedHashMap<>(selected));
  }
}
