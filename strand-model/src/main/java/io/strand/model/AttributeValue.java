package io.strand.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * An attribute value of any OTLP {@code AnyValue} kind: string, boolean, integer, double, bytes,
 * array of values, or a nested key/value list.
 */
public sealed interface AttributeValue {

  /** The kind of value, for switches and encoders. */
  Type type();

  /**
   * A plain-text rendering used for display, indexing and equality search: strings as is,
   * numbers and booleans in their canonical form, bytes as hex, arrays and lists as JSON-like text.
   */
  String asText();

  /** Value kinds, in the order of OTLP's {@code AnyValue} oneof. */
  enum Type {
    STRING,
    BOOL,
    LONG,
    DOUBLE,
    ARRAY,
    KEY_VALUE_LIST,
    BYTES
  }

  static AttributeValue of(String v) {
    return new StringValue(v);
  }

  static AttributeValue of(boolean v) {
    return v ? BoolValue.TRUE : BoolValue.FALSE;
  }

  static AttributeValue of(long v) {
    return new LongValue(v);
  }

  static AttributeValue of(double v) {
    return new DoubleValue(v);
  }

  /** A string value. */
  record StringValue(String value) implements AttributeValue {
    public StringValue {
      if (value == null) {
        throw new IllegalArgumentException("string value must not be null");
      }
    }

    @Override
    public Type type() {
      return Type.STRING;
    }

    @Override
    public String asText() {
      return value;
    }
  }

  /** A boolean value; use the two shared instances. */
  record BoolValue(boolean value) implements AttributeValue {
    static final BoolValue TRUE = new BoolValue(true);
    static final BoolValue FALSE = new BoolValue(false);

    @Override
    public Type type() {
      return Type.BOOL;
    }

    @Override
    public String asText() {
      return Boolean.toString(value);
    }
  }

  /** A 64-bit integer value. */
  record LongValue(long value) implements AttributeValue {
    @Override
    public Type type() {
      return Type.LONG;
    }

    @Override
    public String asText() {
      return Long.toString(value);
    }
  }

  /** A double value. */
  record DoubleValue(double value) implements AttributeValue {
    @Override
    public Type type() {
      return Type.DOUBLE;
    }

    @Override
    public String asText() {
      return Double.toString(value);
    }
  }

  /** A byte-string value; the array is copied in and never handed out. */
  final class BytesValue implements AttributeValue {
    private final byte[] value;

    public BytesValue(byte[] value) {
      this.value = value.clone();
    }

    /** A copy of the bytes. */
    public byte[] value() {
      return value.clone();
    }

    public int length() {
      return value.length;
    }

    @Override
    public Type type() {
      return Type.BYTES;
    }

    @Override
    public String asText() {
      return HexFormat.of().formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BytesValue b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "BytesValue[" + asText() + "]";
    }
  }

  /** An ordered array of values, possibly of mixed kinds. */
  record ArrayValue(List<AttributeValue> values) implements AttributeValue {
    public ArrayValue {
      values = List.copyOf(values);
    }

    @Override
    public Type type() {
      return Type.ARRAY;
    }

    @Override
    public String asText() {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        appendJsonish(sb, values.get(i));
      }
      return sb.append(']').toString();
    }
  }

  /** A nested list of key/value pairs. */
  record KeyValueListValue(Attributes values) implements AttributeValue {
    public KeyValueListValue {
      if (values == null) {
        throw new IllegalArgumentException("key/value list must not be null");
      }
    }

    @Override
    public Type type() {
      return Type.KEY_VALUE_LIST;
    }

    @Override
    public String asText() {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append('"').append(values.key(i)).append("\":");
        appendJsonish(sb, values.value(i));
      }
      return sb.append('}').toString();
    }
  }

  private static void appendJsonish(StringBuilder sb, AttributeValue v) {
    if (v instanceof StringValue s) {
      sb.append('"').append(s.value()).append('"');
    } else {
      sb.append(v.asText());
    }
  }
}
