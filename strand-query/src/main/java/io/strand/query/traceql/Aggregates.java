package io.strand.query.traceql;

import java.util.BitSet;

/**
 * Computes aggregates over a spanset. Only numeric values (integers, floats, durations) take
 * part; when none is present, avg/min/max/sum have no value and the filter using them is false.
 * {@code sum} keeps the type of its inputs (durations stay durations; integers stay integers
 * unless they overflow); {@code avg} is a float; {@code min} and {@code max} return the value.
 */
final class Aggregates {

  private final FieldResolver fields;

  Aggregates(FieldResolver fields) {
    this.fields = fields;
  }

  /** The scalar's value over the spans of {@code set}, or null when it has none. */
  Value value(ScalarExpr e, BitSet set) {
    return switch (e) {
      case FieldExpr.Literal l -> l.value();
      case ScalarExpr.Aggregate a -> a.function() == ScalarExpr.Function.COUNT
          ? new Value.Int(set.cardinality()) : aggregate(a, set);
    };
  }

  private Value aggregate(ScalarExpr.Aggregate a, BitSet set) {
    long count = 0;
    boolean allDurations = true;
    boolean integral = true;
    long longSum = 0;
    double doubleSum = 0;
    Value min = null;
    Value max = null;
    for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
      for (Value v : fields.values(a.field(), i)) {
        if (!v.type().isNumeric() || (v instanceof Value.Real r && Double.isNaN(r.value()))) {
          continue;
        }
        count++;
        allDurations &= v instanceof Value.Dur;
        doubleSum += Comparisons.asDouble(v);
        if (integral && !(v instanceof Value.Real)) {
          try {
            longSum = Math.addExact(longSum, Comparisons.asLong(v));
          } catch (ArithmeticException overflow) {
            integral = false;
          }
        } else {
          integral = false;
        }
        if (min == null || Comparisons.compareNumbers(v, min) < 0) {
          min = v;
        }
        if (max == null || Comparisons.compareNumbers(v, max) > 0) {
          max = v;
        }
      }
    }
    if (count == 0) {
      return null;
    }
    return switch (a.function()) {
      case MIN -> min;
      case MAX -> max;
      case AVG -> new Value.Real(doubleSum / count);
      case SUM -> !integral ? new Value.Real(doubleSum)
          : allDurations ? new Value.Dur(longSum) : new Value.Int(longSum);
      case COUNT -> throw new IllegalStateException("count is not a field aggregate");
    };
  }
}
