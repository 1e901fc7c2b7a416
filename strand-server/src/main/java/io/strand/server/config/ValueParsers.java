package io.strand.server.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value types configuration keys use: durations, byte sizes, ports. */
final class ValueParsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?");

  private ValueParsers() {}

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d}. */
  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use a number and a unit: 500ms, 30s, 5m, 12h, 7d)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** A byte count: plain bytes or with a unit, {@code 512KiB}, {@code 8MiB}, {@code 10GiB}. */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (use bytes or a unit: 512KiB, 8MiB, 10GiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor = switch (unit) {
      case "kb" -> 1_000L;
      case "kib" -> 1L << 10;
      case "mb" -> 1_000_000L;
      case "mib" -> 1L << 20;
      case "gb" -> 1_000_000_000L;
      case "gib" -> 1L << 30;
      case "tb" -> 1_000_000_000_000L;
      case "tib" -> 1L << 40;
      default -> 1L;
    };
    return Math.multiplyExact(n, factor);
  }

  /** A TCP port, 0 meaning "any free port". */
  static int port(String text) {
    return integer(text, 0, 65_535);
  }

  static Duration positiveDuration(String text) {
    Duration d = duration(text);
    if (d.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    return d;
  }

  static long positiveBytes(String text) {
    long n = bytes(text);
    if (n <= 0) {
      throw new IllegalArgumentException("must be more than zero bytes");
    }
    return n;
  }

  static String nonEmpty(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return text.trim();
  }

  /** An integer within bounds. */
  static int integer(String text, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(n + " is outside " + min + ".." + max);
    }
    return n;
  }

  /** A number of requests or events per second, above zero. */
  static double rate(String text) {
    double d;
    try {
      d = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a number");
    }
    if (!(d > 0) || d > 100_000) {
      throw new IllegalArgumentException(d + " is outside (0, 100000]");
    }
    return d;
  }
}
