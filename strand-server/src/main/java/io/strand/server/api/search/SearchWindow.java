package io.strand.server.api.search;

import com.linecorp.armeria.common.QueryParams;
import io.strand.query.TraceSearchService;
import java.time.Clock;

/**
 * The window and limit of a TraceQL search, as both Strand's and Tempo's search APIs take them:
 * {@code end} (default now), {@code start} (default an hour before {@code end}), {@code limit}
 * (default 20, at most {@link TraceSearchService#MAX_LIMIT}).
 *
 * @param startNanos window start, nanoseconds since the epoch
 * @param endNanos window end
 * @param limit most traces
 */
public record SearchWindow(long startNanos, long endNanos, int limit) {
  private static final long DEFAULT_LOOKBACK_NANOS = 3_600_000_000_000L;
  private static final int DEFAULT_LIMIT = 20;

  /**
   * Reads the window from request parameters.
   *
   * @throws BadParameterException naming a malformed time or limit, or a reversed window
   */
  public static SearchWindow from(QueryParams params, Clock clock) {
    long end = TimeParams.epochNanos(params, "end", clock.millis() * 1_000_000L);
    long start = TimeParams.epochNanos(params, "start", end - DEFAULT_LOOKBACK_NANOS);
    if (start > end) {
      throw new BadParameterException("start", "start must not be after end");
    }
    int limit = (int) Math.min(Params.wholeNumber(params, "limit", DEFAULT_LIMIT, 1),
        TraceSearchService.MAX_LIMIT);
    return new SearchWindow(start, end, limit);
  }
}
