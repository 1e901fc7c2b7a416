package io.strand.query.traceql;

import java.util.regex.PatternSyntaxException;

/**
 * Compares two values under a TraceQL operator. Integers, floats and durations compare as
 * numbers (a duration as nanoseconds, so an attribute holding nanoseconds compares with
 * {@code 1s}); strings compare lexicographically; booleans, statuses and kinds support only
 * {@code =} and {@code !=}. Values of different types are never related, so every operator,
 * {@code !=} included, is false between them. An array matches {@code =}, {@code =~} and the
 * orderings when any element does, and {@code !=} and {@code !~} when no element does.
 */
final class Comparisons {

  private final RegexCache regexes;

  Comparisons(RegexCache regexes) {
    this.regexes = regexes;
  }

  boolean test(CompareOp op, Value left, Value right) {
    if (left instanceof Value.Array a) {
      return arrayTest(op, a, right, true);
    }
    if (right instanceof Value.Array a) {
      return arrayTest(op, a, left, false);
    }
    if (op.isRegex()) {
      if (!(left instanceof Value.Text text) || !(right instanceof Value.Text regex)) {
        return false;
      }
      return matches(regex.value(), text.value()) == (op == CompareOp.RE);
    }
    if (left.type().isNumeric() && right.type().isNumeric()) {
      if (isNaN(left) || isNaN(right)) {
        return op == CompareOp.NE;
      }
      return op.test(compareNumbers(left, right));
    }
    if (left.type() != right.type()) {
      return false;
    }
    if (left instanceof Value.Text l && right instanceof Value.Text r) {
      return op.test(l.value().compareTo(r.value()));
    }
    return switch (op) {
      case EQ -> left.equals(right);
      case NE -> !left.equals(right);
      default -> false;
    };
  }

  private boolean arrayTest(CompareOp op, Value.Array array, Value other, boolean arrayLeft) {
    CompareOp positive =
        op == CompareOp.NE ? CompareOp.EQ : op == CompareOp.NRE ? CompareOp.RE : op;
    boolean any = false;
    for (Value e : array.elements()) {
      if (arrayLeft ? test(positive, e, other) : test(positive, other, e)) {
        any = true;
        break;
      }
    }
    return positive == op ? any : !any;
  }

  private boolean matches(String regex, String text) {
    try {
      return regexes.fullMatch(regex, text);
    } catch (PatternSyntaxException e) {
      return false; // only a pattern read from data can be invalid; literals are checked at parse
    }
  }

  private static boolean isNaN(Value v) {
    return v instanceof Value.Real r && Double.isNaN(r.value());
  }

  /** Three-way numeric comparison, exact between longs and doubles. Neither may be NaN. */
  static int compareNumbers(Value a, Value b) {
    if (a instanceof Value.Real ra) {
      if (b instanceof Value.Real rb) {
        // primitive comparison, so 0.0 equals -0.0 as in Go and IEEE 754
        return ra.value() < rb.value() ? -1 : ra.value() > rb.value() ? 1 : 0;
      }
      return -compareLongDouble(asLong(b), ra.value());
    }
    return b instanceof Value.Real rb ? compareLongDouble(asLong(a), rb.value())
        : Long.compare(asLong(a), asLong(b));
  }

  static long asLong(Value v) {
    return switch (v) {
      case Value.Int i -> i.value();
      case Value.Dur d -> d.nanos();
      default -> throw new IllegalArgumentException("not an integral number: " + v);
    };
  }

  static double asDouble(Value v) {
    return v instanceof Value.Real r ? r.value() : asLong(v);
  }

  private static int compareLongDouble(long a, double d) {
    if (d >= 0x1p63) {
      return -1;
    }
    if (d < -0x1p63) {
      return 1;
    }
    long whole = (long) d; // truncates toward zero
    if (a != whole) {
      return Long.compare(a, whole);
    }
    double fraction = d - whole;
    return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
  }
}
