package io.strand.query.traceql;

import java.util.Locale;

/** One side of a scalar filter: an aggregate over a spanset, or a literal. */
public sealed interface ScalarExpr permits ScalarExpr.Aggregate, FieldExpr.Literal {

  /** Aggregate functions over the spans of a spanset. */
  enum Function {
    COUNT,
    AVG,
    MIN,
    MAX,
    SUM;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code count()}, or {@code avg|min|max|sum(field)} over the numeric values of a field.
   *
   * @param field the field, null for {@code count()}
   */
  record Aggregate(Function function, FieldRef field) implements ScalarExpr {
    public Aggregate {
      if ((function == Function.COUNT) != (field == null)) {
        throw new IllegalArgumentException("count() takes no field; the others take one");
      }
    }

    @Override
    public String toString() {
      return function + "(" + (field == null ? "" : field) + ")";
    }
  }
}
