package io.strand.pipeline.limits;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The values of every {@link Limit}. Defaults are generous enough that no OpenTelemetry SDK at its
 * own defaults (128 attributes, events and links) meets them, and tight enough that one request
 * cannot make the server hold or store unbounded detail.
 */
public final class SpanLimits {

  /** The nesting the decoders themselves refuse beyond, so no limit may be set higher. */
  public static final int MAX_DEPTH_CEILING = 32;

  private static final Map<Limit, Integer> DEFAULTS = new EnumMap<>(Map.of(
      Limit.SPANS_PER_REQUEST, 50_000,
      Limit.ATTRIBUTES_PER_SPAN, 256,
      Limit.ATTRIBUTE_KEY_LENGTH, 256,
      Limit.ATTRIBUTE_VALUE_LENGTH, 64 * 1024,
      Limit.EVENTS_PER_SPAN, 1_000,
      Limit.LINKS_PER_SPAN, 1_000,
      Limit.ATTRIBUTE_DEPTH, 8));

  private final int[] values;

  private SpanLimits(Map<Limit, Integer> values) {
    this.values = new int[Limit.values().length];
    for (Limit limit : Limit.values()) {
      int v = values.getOrDefault(limit, DEFAULTS.get(limit));
      if (v < 1) {
        throw new IllegalArgumentException(limit.key() + " must be at least 1, got " + v);
      }
      if (limit == Limit.ATTRIBUTE_DEPTH && v > MAX_DEPTH_CEILING) {
        throw new IllegalArgumentException(
            limit.key() + " must be at most " + MAX_DEPTH_CEILING + ", got " + v);
      }
      this.values[limit.ordinal()] = v;
    }
  }

  /** Every limit at its default. */
  public static SpanLimits defaults() {
    return new SpanLimits(Map.of());
  }

  /**
   * Limits with some values set, the rest at their defaults.
   *
   * @throws IllegalArgumentException naming the limit when a value is out of range
   */
  public static SpanLimits of(Map<Limit, Integer> values) {
    return new SpanLimits(values);
  }

  /** The default value of a limit. */
  public static int defaultOf(Limit limit) {
    return DEFAULTS.get(limit);
  }

  /** The value of a limit. */
  public int get(Limit limit) {
    return values[limit.ordinal()];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpanLimits other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SpanLimits[");
    for (Limit limit : Limit.values()) {
      sb.append(limit == Limit.values()[0] ? "" : ", ").append(limit.key()).append('=')
          .append(get(limit));
    }
    return sb.append(']').toString();
  }
}
