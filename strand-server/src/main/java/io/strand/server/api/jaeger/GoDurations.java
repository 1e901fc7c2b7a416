package io.strand.server.api.jaeger;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Parses durations the way Jaeger's query service does (Go's {@code time.ParseDuration}): a
 * sequence of decimal numbers with units, such as {@code 100ms}, {@code 1.5s} or {@code 1h30m};
 * units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}. Jaeger
 * UI's lookback choices also use {@code d} and {@code w} (days and weeks), accepted here too. A
 * bare {@code 0} is zero; negative durations are refused, as no search parameter can use them.
 */
final class GoDurations {

  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "\u00b5s", 1_000L, // micro sign
      "\u03bcs", 1_000L, // Greek small letter mu
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L,
      "d", 86_400_000_000_000L,
      "w", 604_800_000_000_000L);

  private GoDurations() {}

  /**
   * Nanoseconds in {@code text}, rounded down to whole nanoseconds.
   *
   * @throws IllegalArgumentException saying what is wrong with the text
   */
  static long parseNanos(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    if (s.charAt(0) == '-') {
      throw new IllegalArgumentException("negative duration \"" + text + "\"");
    }
    if (s.charAt(0) == '+') {
      s = s.substring(1);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      boolean badNumber = number.isEmpty() || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.');
      if (badNumber) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
      }
      Long factor = NANOS_PER_UNIT.get(unit);
      if (factor == null) {
        throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration \"" + text
            + "\" (use ns, us, ms, s, m, h, d or w)");
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(factor)));
    }
    if (total.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("duration \"" + text + "\" is too long");
    }
    return total.longValue();
  }
}
