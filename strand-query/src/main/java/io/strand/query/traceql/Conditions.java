package io.strand.query.traceql;

import java.util.List;

/**
 * Decides a filter condition for one span. A comparison holds when some value of the left side
 * and some value of the right side satisfy it; a missing field has no values, so every
 * comparison with it is false, {@code !=} included, except {@code = nil} (holds when missing) and
 * {@code != nil} (holds when present).
 */
final class Conditions {

  private final FieldResolver fields;
  private final Comparisons comparisons;

  Conditions(FieldResolver fields, Comparisons comparisons) {
    this.fields = fields;
    this.comparisons = comparisons;
  }

  boolean test(FieldExpr e, int span) {
    return switch (e) {
      case FieldExpr.Literal l -> l.value() instanceof Value.Bool b && b.value();
      case FieldExpr.Logical l -> l.and()
          ? test(l.left(), span) && test(l.right(), span)
          : test(l.left(), span) || test(l.right(), span);
      case FieldExpr.Not n -> !test(n.operand(), span);
      case FieldExpr.Comparison c -> compare(c, span);
      case FieldRef r -> values(r, span).contains(Value.Bool.TRUE);
    };
  }

  private boolean compare(FieldExpr.Comparison c, int span) {
    boolean nilLeft = isNil(c.left());
    boolean nilRight = isNil(c.right());
    if (nilLeft || nilRight) {
      if (nilLeft && nilRight) {
        return false; // as Tempo: nil = nil and nil != nil are both false
      }
      boolean present = !values(nilLeft ? c.right() : c.left(), span).isEmpty();
      return switch (c.op()) {
        case EQ -> !present;
        case NE -> present;
        default -> false;
      };
    }
    List<Value> left = values(c.left(), span);
    if (left.isEmpty()) {
      return false;
    }
    List<Value> right = values(c.right(), span);
    for (Value l : left) {
      for (Value r : right) {
        if (comparisons.test(c.op(), l, r)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isNil(FieldExpr e) {
    return e instanceof FieldExpr.Literal l && l.value() == Value.Nil.NIL;
  }

  private List<Value> values(FieldExpr e, int span) {
    return switch (e) {
      case FieldExpr.Literal l -> List.of(l.value());
      case FieldRef r -> fields.values(r, span);
      default -> List.of(test(e, span) ? Value.Bool.TRUE : Value.Bool.FALSE);
    };
  }
}
