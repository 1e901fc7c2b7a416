package io.strand.server.api.tempo;

import io.strand.model.AttributeValue;
import io.strand.model.SpanId;
import io.strand.query.MatchedSpan;
import io.strand.query.SearchResult;
import io.strand.query.TraceSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Search results in the shape Tempo's {@code /api/search} answers and Grafana's Tempo data source
 * reads: int64 times as strings, attributes as OTLP key/value pairs, matched spans as a span set.
 */
final class TempoSearchJson {
  private TempoSearchJson() {}

  /**
   * @param spansPerSpanSet most spans listed per span set (Tempo's {@code spss})
   */
  static Map<String, Object> of(SearchResult result, int spansPerSpanSet) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traces", result.traces().stream().map(t -> trace(t, spansPerSpanSet)).toList());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("inspectedTraces", result.traces().size());
    metrics.put("inspectedBytes", "0");
    metrics.put("completedJobs", 1);
    metrics.put("totalJobs", 1);
    out.put("metrics", metrics);
    return out;
  }

  private static Map<String, Object> trace(TraceSummary t, int spansPerSpanSet) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceID", t.traceId().toHex());
    m.put("rootServiceName", t.rootServiceName());
    m.put("rootTraceName", t.rootName());
    m.put("startTimeUnixNano", Long.toString(t.startTimeUnixNano()));
    m.put("durationMs", t.durationNanos() / 1_000_000L);
    Map<String, Object> spanSet = new LinkedHashMap<>();
    spanSet.put("spans", t.matchedSpans().stream().limit(spansPerSpanSet)
        .map(TempoSearchJson::span).toList());
    spanSet.put("matched", t.matchedSpans().size());
    m.put("spanSet", spanSet);
    m.put("spanSets", List.of(spanSet));
    return m;
  }

  private static Map<String, Object> span(MatchedSpan s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spanID", SpanId.toHex(s.spanId()));
    m.put("name", s.name());
    m.put("startTimeUnixNano", Long.toString(s.startTimeUnixNano()));
    m.put("durationNanos", Long.toString(s.durationNanos()));
    List<Map<String, Object>> attributes = new ArrayList<>();
    attributes.add(keyValue("service.name", AttributeValue.of(s.service())));
    s.selected().forEach((k, v) -> attributes.add(keyValue(k, v)));
    m.put("attributes", attributes);
    return m;
  }

  private static Map<String, Object> keyValue(String key, AttributeValue v) {
    Map<String, Object> value = switch (v) {
      case AttributeValue.LongValue x -> Map.of("intValue", Long.toString(x.value()));
      case AttributeValue.DoubleValue x -> Map.of("doubleValue", x.value());
      case AttributeValue.BoolValue x -> Map.of("boolValue", x.value());
      default -> Map.of("stringValue", v.asText());
    };
    return Map.of("key", key, "value", value);
  }
}
