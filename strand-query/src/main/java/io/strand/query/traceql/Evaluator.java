package io.strand.query.traceql;

import io.strand.model.Span;
import io.strand.query.SpanMatch;
import io.strand.query.TraceMatch;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a parsed query over whole traces. Thread-safe: it holds only the query and its
 * compiled regular expressions; each call indexes its trace afresh.
 */
public final class Evaluator {

  private final SpansetExpr query;
  private final RegexCache regexes = new RegexCache();

  public Evaluator(SpansetExpr query) {
    this.query = query;
  }

  /** The matched spans of the trace in start order, or empty when the trace does not match. */
  public Optional<TraceMatch> evaluate(List<Span> trace) {
    if (trace.isEmpty()) {
      return Optional.empty();
    }
    TraceIndex index = TraceIndex.of(trace);
    Evaluation evaluation = new Evaluation(index, regexes);
    BitSet matched = evaluation.run(query);
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    List<SpanMatch> spans = new ArrayList<>(matched.cardinality());
    for (int i = matched.nextSetBit(0); i >= 0; i = matched.nextSetBit(i + 1)) {
      spans.add(new SpanMatch(index.spans[i], evaluation.selectedFor(i)));
    }
    return Optional.of(new TraceMatch(spans));
  }
}
