package io.strand.server.api.zipkin;

import com.linecorp.armeria.common.QueryParams;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.Params;

/**
 * The parameters of Zipkin's {@code GET /api/v2/traces}, checked and with Zipkin's defaults
 * applied.
 *
 * @param serviceName local service name, or null for any
 * @param spanName span name, or null for any ({@code all}, as Zipkin's classic UI sends, too)
 * @param remoteServiceName remote service name, or null for any
 * @param annotationQuery tag and annotation terms
 * @param minDurationMicros inclusive lower bound on span duration, 0 for none
 * @param maxDurationMicros inclusive upper bound on span duration, {@link Long#MAX_VALUE} for none
 * @param endTsMillis end of the time window, epoch milliseconds
 * @param lookbackMillis length of the time window, milliseconds
 * @param limit most traces to return
 */
record ZipkinSearchRequest(
    String serviceName,
    String spanName,
    String remoteServiceName,
    AnnotationQuery annotationQuery,
    long minDurationMicros,
    long maxDurationMicros,
    long endTsMillis,
    long lookbackMillis,
    int limit) {

  /** Zipkin's default {@code QUERY_LOOKBACK}: one day. */
  static final long DEFAULT_LOOKBACK_MILLIS = 86_400_000L;
  /** Zipkin's default {@code limit}. */
  static final int DEFAULT_LIMIT = 10;

  /**
   * Reads the request's parameters.
   *
   * @param nowMillis the default {@code endTs}
   * @throws BadParameterException naming the first unusable parameter
   */
  static ZipkinSearchRequest parse(QueryParams params, long nowMillis) {
    String spanName = Params.text(params, "spanName");
    if ("all".equals(spanName)) {
      spanName = null;
    }
    long min = Params.wholeNumber(params, "minDuration", 0, 0);
    long max = Params.wholeNumber(params, "maxDuration", Long.MAX_VALUE, 0);
    if (min > max) {
      throw new BadParameterException("maxDuration",
          "maxDuration " + max + " is less than minDuration " + min);
    }
    long endTs = Params.wholeNumber(params, "endTs", nowMillis, 1);
    long lookback = Params.wholeNumber(params, "lookback", DEFAULT_LOOKBACK_MILLIS, 1);
    // Reject now what would overflow when turned into nanoseconds.
    if (endTs >= Long.MAX_VALUE / 1_000_000L) {
      throw new BadParameterException("endTs", "endTs is too large: " + endTs);
    }
    Params.scale("minDuration", min, 1_000);
    return new ZipkinSearchRequest(
        Params.text(params, "serviceName"),
        spanName,
        Params.text(params, "remoteServiceName"),
        AnnotationQuery.parse(Params.text(params, AnnotationQuery.PARAMETER)),
        min, max, endTs, lookback,
        Params.limit(params, "limit", DEFAULT_LIMIT));
  }

  /** First nanosecond of the window: {@code endTs - lookback}, never before the epoch. */
  long startTimeMinNanos() {
    return Math.max(0, endTsMillis - lookbackMillis) * 1_000_000L;
  }

  /** Last nanosecond of the window: the end of the millisecond {@code endTs}. */
  long startTimeMaxNanos() {
    return endTsMillis * 1_000_000L + 999_999L;
  }

  long minDurationNanos() {
    return minDurationMicros * 1_000L;
  }

  /**
   * Zipkin shows a span's duration in whole microseconds, rounded down, so a span Zipkin shows as
   * {@code maxDuration} may last up to 999 ns longer.
   */
  long maxDurationNanos() {
    if (maxDurationMicros >= Long.MAX_VALUE / 1_000L - 1) {
      return Long.MAX_VALUE;
    }
    return maxDurationMicros * 1_000L + 999L;
  }
}
