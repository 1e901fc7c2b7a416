package io.strand.query;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * The best {@code limit + 1} matches seen so far, newest first (trace start descending, then
 * trace id). Keeping one more than the limit tells whether the result is truncated.
 */
final class TopTraces {

  static final Comparator<TraceSummary> NEWEST_FIRST =
      Comparator.comparingLong(TraceSummary::startTimeUnixNano).reversed()
          .thenComparing(TraceSummary::traceId);

  private final int limit;
  private final TreeSet<TraceSummary> best = new TreeSet<>(NEWEST_FIRST);
  private boolean overflowed;

  TopTraces(int limit) {
    this.limit = limit;
  }

  void add(TraceSummary s) {
    best.add(s);
    if (best.size() > limit + 1) {
      best.pollLast();
      overflowed = true;
    }
  }

  /** Whether more than {@code limit} matches were seen. */
  boolean exceedsLimit() {
    return overflowed || best.size() > limit;
  }

  /**
   * Whether the first {@code limit} can no longer change and a further match is known, given
   * that every trace not yet seen starts at or before {@code cursorNanos}.
   */
  boolean settled(long cursorNanos) {
    if (best.size() <= limit) {
      return false;
    }
    TraceSummary lastKept = best.lower(best.last());
    return cursorNanos < lastKept.startTimeUnixNano();
  }

  SearchResult result(boolean gaveUp) {
    return new SearchResult(best.stream().limit(limit).toList(), gaveUp || exceedsLimit());
  }
}
