package io.strand.query.traceql;

import java.util.List;
import java.util.stream.Collectors;

/** One stage of a pipeline, applied to each spanset coming out of the previous stage. */
public sealed interface Stage permits Stage.ScalarFilter, Stage.Select, Stage.GroupBy,
    Stage.Coalesce, Stage.SpansetStage {

  /** {@code count() > 3}, {@code avg(duration) > 1s}: keeps the spansets for which it holds. */
  record ScalarFilter(ScalarExpr left, CompareOp op, ScalarExpr right) implements Stage {
    @Override
    public String toString() {
      return left + " " + op.symbol() + " " + right;
    }
  }

  /** {@code select(span.a, resource.b, name)}: returns these fields with each matched span. */
  record Select(List<FieldRef> fields) implements Stage {
    public Select {
      fields = List.copyOf(fields);
    }

    @Override
    public String toString() {
      return "select(" + fields.stream().map(Object::toString).collect(Collectors.joining(", "))
          + ")";
    }
  }

  /** {@code by(field)}: splits each spanset into one per distinct value of the field. */
  record GroupBy(FieldRef field) implements Stage {
    @Override
    public String toString() {
      return "by(" + field + ")";
    }
  }

  /** {@code coalesce()}: merges all spansets into one. */
  record Coalesce() implements Stage {
    @Override
    public String toString() {
      return "coalesce()";
    }
  }

  /** A spanset expression applied to the spans of each incoming spanset. */
  record SpansetStage(SpansetExpr expr) implements Stage {
    @Override
    public String toString() {
      return expr.toString();
    }
  }
}
