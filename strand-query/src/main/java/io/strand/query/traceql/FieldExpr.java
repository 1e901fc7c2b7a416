package io.strand.query.traceql;

/**
 * An expression inside a spanset filter {@code { ... }}: a literal, a field, a comparison, or a
 * logical combination. A filter keeps the spans for which its expression is true.
 */
public sealed interface FieldExpr permits FieldExpr.Literal, FieldRef, FieldExpr.Comparison,
    FieldExpr.Logical, FieldExpr.Not {

  /** A literal, such as {@code "GET"}, {@code 200}, {@code 1.5s}, {@code error} or {@code nil}. */
  record Literal(Value value) implements FieldExpr, ScalarExpr {
    public static final Literal TRUE = new Literal(Value.Bool.TRUE);

    public Literal {
      if (value == null || value instanceof Value.Array) {
        throw new IllegalArgumentException("a literal needs a scalar value");
      }
    }

    @Override
    public String toString() {
      return value.toString();
    }
  }

  /** {@code left op right}, such as {@code span.http.method = "GET"}. */
  record Comparison(CompareOp op, FieldExpr left, FieldExpr right) implements FieldExpr {
    @Override
    public String toString() {
      return left + " " + op.symbol() + " " + right;
    }
  }

  /** {@code left && right} or {@code left || right}, on the same span. */
  record Logical(boolean and, FieldExpr left, FieldExpr right) implements FieldExpr {
    @Override
    public String toString() {
      return "(" + left + (and ? " && " : " || ") + right + ")";
    }
  }

  /** {@code !operand}. */
  record Not(FieldExpr operand) implements FieldExpr {
    @Override
    public String toString() {
      return operand instanceof Logical ? "!" + operand : "!(" + operand + ")";
    }
  }
}
