package io.strand.query.traceql;

import java.util.List;
import java.util.stream.Collectors;

/** An expression that selects a set of spans from a trace. A whole query is one of these. */
public sealed interface SpansetExpr permits SpansetExpr.Filter, SpansetExpr.Operation,
    SpansetExpr.Pipeline {

  /** {@code { condition }}: the spans for which the condition holds; {@code { }} is every span. */
  record Filter(FieldExpr condition) implements SpansetExpr {
    /** {@code { }}. */
    public static final Filter ALL = new Filter(FieldExpr.Literal.TRUE);

    @Override
    public String toString() {
      return condition.equals(FieldExpr.Literal.TRUE) ? "{ }" : "{ " + condition + " }";
    }
  }

  /** {@code left op right} between two spansets, such as {@code {a} >> {b}}. */
  record Operation(SpansetOperator op, SpansetExpr left, SpansetExpr right)
      implements SpansetExpr {
    @Override
    public String toString() {
      return "(" + left + " " + op.symbol() + " " + right + ")";
    }
  }

  /** {@code input | stage | stage ...}; at least one stage. */
  record Pipeline(SpansetExpr input, List<Stage> stages) implements SpansetExpr {
    public Pipeline {
      stages = List.copyOf(stages);
      if (stages.isEmpty()) {
        throw new IllegalArgumentException("a pipeline needs at least one stage");
      }
    }

    @Override
    public String toString() {
      return "(" + input + " | "
          + stages.stream().map(Object::toString).collect(Collectors.joining(" | ")) + ")";
    }
  }
}
