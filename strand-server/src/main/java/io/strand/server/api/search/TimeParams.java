package io.strand.server.api.search;

import com.linecorp.armeria.common.QueryParams;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Time parameters given as Unix seconds (whole or decimal, as Tempo and Grafana send them) or as
 * RFC 3339 timestamps, read as nanoseconds since the epoch.
 */
public final class TimeParams {
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private TimeParams() {}

  /**
   * The time in {@code name}, or {@code absentNanos} when not given.
   *
   * @throws BadParameterException when it is neither a number of seconds nor RFC 3339
   */
  public static long epochNanos(QueryParams params, String name, long absentNanos) {
    String v = Params.text(params, name);
    if (v == null) {
      return absentNanos;
    }
    try {
      return new BigDecimal(v.trim()).multiply(NANOS_PER_SECOND).longValueExact();
    } catch (NumberFormatException | ArithmeticException notSeconds) {
      try {
        OffsetDateTime t = OffsetDateTime.parse(v.trim());
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new BadParameterException(name, name
            + " must be Unix seconds or an RFC 3339 time (2026-11-21T08:00:00Z), got '" + v
            + "'");
      }
    }
  }
}
