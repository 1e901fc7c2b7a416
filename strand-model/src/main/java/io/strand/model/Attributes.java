package io.strand.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable, ordered set of attributes stored as one flat array of alternating keys and
 * values: one object per attribute set rather than one per attribute. Keys are unique; a later
 * {@link Builder#put} for the same key replaces the earlier value, as the OpenTelemetry spec asks.
 */
public final class Attributes {

  /** The empty set, shared. */
  public static final Attributes EMPTY = new Attributes(new Object[0]);

  private final Object[] keysAndValues;

  private Attributes(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /** Starts a builder with room for {@code expected} attributes. */
  public static Builder builder(int expected) {
    return new Builder(expected);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder(8);
  }

  /** A set of string attributes, for tests and small call sites. */
  public static Attributes ofStrings(Map<String, String> map) {
    Builder b = builder(map.size());
    map.forEach((k, v) -> b.put(k, AttributeValue.of(v)));
    return b.build();
  }

  public int size() {
    return keysAndValues.length / 2;
  }

  public boolean isEmpty() {
    return keysAndValues.length == 0;
  }

  /** The key at position {@code i}, in insertion order. */
  public String key(int i) {
    return (String) keysAndValues[2 * i];
  }

  /** The value at position {@code i}, in insertion order. */
  public AttributeValue value(int i) {
    return (AttributeValue) keysAndValues[2 * i + 1];
  }

  /** The value for a key, or {@code null} when absent. Linear: attribute sets are small. */
  public AttributeValue get(String key) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return (AttributeValue) keysAndValues[i + 1];
      }
    }
    return null;
  }

  /** The value for a key as text, or {@code null} when absent. */
  public String getText(String key) {
    AttributeValue v = get(key);
    return v == null ? null : v.asText();
  }

  /** A copy as an insertion-ordered map, for display and tests. */
  public Map<String, AttributeValue> asMap() {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    for (int i = 0; i < size(); i++) {
      m.put(key(i), value(i));
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attributes a && Arrays.equals(keysAndValues, a.keysAndValues);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keysAndValues);
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /** Collects attributes; not thread-safe, use once. */
  public static final class Builder {
    private Object[] kv;
    private int n;

    private Builder(int expected) {
      kv = new Object[Math.max(2, expected * 2)];
    }

    /** Adds or replaces an attribute. Null keys or values are ignored. */
    public Builder put(String key, AttributeValue value) {
      if (key == null || value == null) {
        return this;
      }
      for (int i = 0; i < n; i += 2) {
        if (kv[i].equals(key)) {
          kv[i + 1] = value;
          return this;
        }
      }
      if (n == kv.length) {
        kv = Arrays.copyOf(kv, kv.length * 2);
      }
      kv[n++] = key;
      kv[n++] = value;
      return this;
    }

    public Builder put(String key, String value) {
      return value == null ? this : put(key, AttributeValue.of(value));
    }

    public Builder put(String key, long value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, double value) {
      return put(key, AttributeValue.of(value));
    }

    public Builder put(String key, boolean value) {
      return put(key, AttributeValue.of(value));
    }

    /** Adds every attribute of another set. */
    public Builder putAll(Attributes other) {
      for (int i = 0; i < other.size(); i++) {
        put(other.key(i), other.value(i));
      }
      return this;
    }

    /** Attributes added so far. */
    public int size() {
      return n / 2;
    }

    public Attributes build() {
      return n == 0 ? EMPTY : new Attributes(Arrays.copyOf(kv, n));
    }
  }
}
