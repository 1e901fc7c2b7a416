package io.strand.query.traceql;

import io.strand.model.AttributeValue;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A typed TraceQL value: a literal written in a query, or what a field holds on a span. {@link
 * #toString()} renders the value as TraceQL source, so a literal prints as it would be written.
 */
public sealed interface Value {

  /** The value's type, for static checks and comparisons. */
  Type type();

  /** Plain text for display (strings unquoted), as autocomplete shows values. */
  default String display() {
    return toString();
  }

  /** TraceQL value types. */
  enum Type {
    STRING,
    INT,
    FLOAT,
    BOOL,
    DURATION,
    STATUS,
    KIND,
    NIL,
    ARRAY;

    /** Integers, floats and durations compare with each other as numbers (durations in ns). */
    public boolean isNumeric() {
      return this == INT || this == FLOAT || this == DURATION;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A string. */
  record Text(String value) implements Value {
    public Text {
      if (value == null) {
        throw new IllegalArgumentException("string value must not be null");
      }
    }

    @Override
    public Type type() {
      return Type.STRING;
    }

    @Override
    public String display() {
      return value;
    }

    @Override
    public String toString() {
      return Quoting.quote(value);
    }
  }

  /** A 64-bit integer. */
  record Int(long value) implements Value {
    @Override
    public Type type() {
      return Type.INT;
    }

    @Override
    public String toString() {
      // -9223372036854775808 does not lex (its magnitude overflows), so the constant's name.
      return value == Long.MIN_VALUE ? "minInt" : Long.toString(value);
    }
  }

  /** A double. */
  record Real(double value) implements Value {
    @Override
    public Type type() {
      return Type.FLOAT;
    }

    @Override
    public String toString() {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        return Double.toString(value);
      }
      if (Double.compare(value, -0.0) == 0) {
        return "-0.0"; // BigDecimal has no negative zero
      }
      // Plain digits with a point, as TraceQL writes floats (no exponent: 1.0E10 would not lex).
      String plain = new BigDecimal(Double.toString(value)).toPlainString();
      return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
  }

  /** A boolean. */
  record Bool(boolean value) implements Value {
    public static final Bool TRUE = new Bool(true);
    public static final Bool FALSE = new Bool(false);

    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /** A duration in nanoseconds. */
  record Dur(long nanos) implements Value {
    @Override
    public Type type() {
      return Type.DURATION;
    }

    @Override
    public String toString() {
      return Durations.format(nanos);
    }
  }

  /** A span status: {@code ok}, {@code error} or {@code unset}. */
  record Status(StatusCode code) implements Value {
    @Override
    public Type type() {
      return Type.STATUS;
    }

    @Override
    public String toString() {
      return code.name().toLowerCase(Locale.ROOT);
    }
  }

  /** A span kind: {@code server}, {@code client} and so on. */
  record Kind(SpanKind kind) implements Value {
    @Override
    public Type type() {
      return Type.KIND;
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code nil}: in a comparison, "the field is missing". Never a field's value. */
  enum Nil implements Value {
    NIL;

    @Override
    public Type type() {
      return Type.NIL;
    }

    @Override
    public String toString() {
      return "nil";
    }
  }

  /** An array attribute; comparisons look at its elements. Never a literal. */
  record Array(List<Value> elements) implements Value {
    public Array {
      elements = List.copyOf(elements);
    }

    @Override
    public Type type() {
      return Type.ARRAY;
    }

    @Override
    public String toString() {
      return elements.toString();
    }
  }

  /** The TraceQL view of an attribute value; bytes and key/value lists become their text. */
  static Value of(AttributeValue v) {
    return switch (v) {
      case AttributeValue.StringValue s -> new Text(s.value());
      case AttributeValue.LongValue l -> new Int(l.value());
      case AttributeValue.DoubleValue d -> new Real(d.value());
      case AttributeValue.BoolValue b -> b.value() ? Bool.TRUE : Bool.FALSE;
      case AttributeValue.ArrayValue a -> {
        List<Value> out = new ArrayList<>(a.values().size());
        a.values().forEach(e -> out.add(of(e)));
        yield new Array(out);
      }
      default -> new Text(v.asText());
    };
  }

  /** This value as an attribute value, for selected fields; durations become nanoseconds. */
  default AttributeValue toAttributeValue() {
    return switch (this) {
      case Text t -> AttributeValue.of(t.value());
      case Int i -> AttributeValue.of(i.value());
      case Real r -> AttributeValue.of(r.value());
      case Bool b -> AttributeValue.of(b.value());
      case Dur d -> AttributeValue.of(d.nanos());
      case Array a ->
          new AttributeValue.ArrayValue(
              a.elements().stream().map(Value::toAttributeValue).toList());
      default -> AttributeValue.of(toString());
    };
  }
}
