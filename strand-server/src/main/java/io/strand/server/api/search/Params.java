package io.strand.server.api.search;

import com.linecorp.armeria.common.QueryParams;

/**
 * Reads query parameters the way both compatibility APIs need: an empty or blank value counts as
 * absent (the Zipkin and Jaeger UIs send {@code spanName=} and {@code minDuration=} for unset form
 * fields), and a value that is present but unusable is a {@link BadParameterException} naming the
 * parameter, never a silent default.
 */
public final class Params {

  private Params() {}

  /** The first value of {@code name}, or null when absent or blank. */
  public static String text(QueryParams params, String name) {
    String v = params.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** The first value of {@code name}; a {@link BadParameterException} when absent or blank. */
  public static String required(QueryParams params, String name) {
    String v = text(params, name);
    if (v == null) {
      throw new BadParameterException(name, name + " is required");
    }
    return v;
  }

  /**
   * A whole number of at least {@code min}, or {@code absent} when the parameter is not given.
   *
   * @throws BadParameterException when the value is not a whole number or is below {@code min}
   */
  public static long wholeNumber(QueryParams params, String name, long absent, long min) {
    String v = text(params, name);
    if (v == null) {
      return absent;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new BadParameterException(name,
          name + " must be a whole number, got '" + v + "'");
    }
    if (n < min) {
      throw new BadParameterException(name, name + " must be at least " + min + ", got " + n);
    }
    return n;
  }

  /**
   * A result limit: at least 1, {@code absent} when not given, capped at {@link
   * TraceFinder#MAX_LIMIT} because every returned trace is read whole.
   */
  public static int limit(QueryParams params, String name, int absent) {
    long n = wholeNumber(params, name, absent, 1);
    return (int) Math.min(n, TraceFinder.MAX_LIMIT);
  }

  /**
   * {@code value * factor}, or a {@link BadParameterException} when that overflows; for turning
   * client time units into nanoseconds.
   */
  public static long scale(String name, long value, long factor) {
    try {
      return Math.multiplyExact(value, factor);
    } catch (ArithmeticException e) {
      throw new BadParameterException(name, name + " is too large: " + value);
    }
  }
}
