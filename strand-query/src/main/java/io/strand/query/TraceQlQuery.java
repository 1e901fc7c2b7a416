package io.strand.query;

import io.strand.model.Span;
import io.strand.query.traceql.Evaluator;
import io.strand.query.traceql.SpansetExpr;
import java.util.List;
import java.util.Optional;

/**
 * A parsed TraceQL query. Immutable and thread-safe; evaluate it on any number of traces.
 */
public final class TraceQlQuery {

  private final String text;
  private final SpansetExpr ast;
  private final Evaluator evaluator;

  TraceQlQuery(String text, SpansetExpr ast) {
    this.text = text;
    this.ast = ast;
    this.evaluator = new Evaluator(ast);
  }

  /** The query as written. */
  public String text() {
    return text;
  }

  /** The syntax tree. */
  public SpansetExpr ast() {
    return ast;
  }

  /**
   * Evaluates the query on one whole trace (its spans in any order). The trace matches when the
   * final spanset is not empty; the match lists those spans. O(n) per filter and operator in
   * the number of spans.
   */
  public Optional<TraceMatch> evaluate(List<Span> trace) {
    return evaluator.evaluate(trace);
  }

  /** The canonical form of the syntax tree, fully parenthesized. */
  @Override
  public String toString() {
    return ast.toString();
  }
}
