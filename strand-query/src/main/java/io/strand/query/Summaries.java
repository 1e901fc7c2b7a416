package io.strand.query;

import io.strand.model.Span;
import io.strand.model.StatusCode;
import io.strand.storage.SpanOrder;
import java.util.List;
import java.util.TreeSet;

/** Builds the summary of a matched trace. */
final class Summaries {

  private Summaries() {}

  static TraceSummary of(List<Span> trace, TraceMatch match) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int errors = 0;
    Span root = null;
    TreeSet<String> services = new TreeSet<>();
    for (Span s : trace) {
      start = Math.min(start, s.startTimeUnixNano());
      end = Math.max(end, s.endTimeUnixNano());
      errors += s.statusCode() == StatusCode.ERROR ? 1 : 0;
      services.add(s.serviceName());
      if (s.isRoot() && (root == null || SpanOrder.BY_START.compare(s, root) < 0)) {
        root = s;
      }
    }
    List<MatchedSpan> matched = match.spans().stream()
        .map(m -> new MatchedSpan(m.span().spanId(), m.span().name(), m.span().serviceName(),
            m.span().startTimeUnixNano(), m.span().durationNanos(), m.selected()))
        .toList();
    return new TraceSummary(trace.get(0).traceId(),
        root == null ? TraceSummary.ROOT_NOT_RECEIVED : root.serviceName(),
        root == null ? "" : root.name(),
        start, Math.max(0, end - start), trace.size(), errors, List.copyOf(services), matched);
  }
}
