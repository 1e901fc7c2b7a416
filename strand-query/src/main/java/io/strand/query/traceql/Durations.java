package io.strand.query.traceql;

/** Duration units of TraceQL literals, and their canonical rendering. */
final class Durations {

  static final long NS = 1L;
  static final long US = 1_000L;
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;
  static final long M = 60 * S;
  static final long H = 60 * M;
  static final long D = 24 * H;
  static final long W = 7 * D;
  static final long Y = 365 * D;

  private static final long[] UNITS = {H, M, S, MS, US};
  private static final String[] NAMES = {"h", "m", "s", "ms", "us"};

  private Durations() {}

  /** Nanoseconds per unit, or 0 for an unknown unit. Units as Prometheus and Go accept them. */
  static long unit(String name) {
    return switch (name) {
      case "ns" -> NS;
      case "us", "µs" -> US;
      case "ms" -> MS;
      case "s" -> S;
      case "m" -> M;
      case "h" -> H;
      case "d" -> D;
      case "w" -> W;
      case "y" -> Y;
      default -> 0;
    };
  }

  /** The largest unit that divides the value exactly, for example {@code 1500ms} for 1.5s. */
  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    for (int i = 0; i < UNITS.length; i++) {
      if (nanos % UNITS[i] == 0) {
        return (nanos / UNITS[i]) + NAMES[i];
      }
    }
    return nanos + "ns";
  }
}
