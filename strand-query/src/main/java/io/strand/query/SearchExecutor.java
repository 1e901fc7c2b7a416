package io.strand.query;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one search: pages through the store's candidates (traces with a span satisfying the
 * hint, newest such span first), reads each candidate once, evaluates the query on it, and stops
 * as soon as the first {@code limit} results are final and one more match is known, or the
 * window is exhausted.
 *
 * <p>Paging lowers the store query's upper start bound to the latest hint-satisfying span start
 * of the oldest candidate received, which the executor knows because it read that trace; traces
 * received twice are skipped. Every trace not yet received therefore has all its hint spans at
 * or before that bound, and so starts at or before it: once it is older than the
 * {@code limit}-th result, the results are final. When a whole chunk was already read (many
 * traces tie at the bound), the next chunk is twice as large.
 */
final class SearchExecutor {

  /** At most this many candidate traces are read per search; then the result is truncated. */
  static final int MAX_CANDIDATES = 100_000;

  static final int MIN_CHUNK = 50;
  static final int MAX_CHUNK = 10_000;

  private final TraceSearch search;
  private final TraceReader reader;
  private final int initialChunk;
  private final int maxChunk;
  private final int maxCandidates;

  SearchExecutor(TraceSearch search, TraceReader reader) {
    this(search, reader, 0, MAX_CHUNK, MAX_CANDIDATES);
  }

  /**
   * With other paging bounds; tests page one trace at a time to run every paging path on a
   * small corpus.
   *
   * @param initialChunk candidates asked for first, or 0 for twice the limit (50 to 10,000)
   */
  SearchExecutor(TraceSearch search, TraceReader reader, int initialChunk, int maxChunk,
      int maxCandidates) {
    this.search = search;
    this.reader = reader;
    this.initialChunk = initialChunk;
    this.maxChunk = maxChunk;
    this.maxCandidates = maxCandidates;
  }

  SearchResult run(TraceQlQuery query, SpanHint hint, long start, long end, int limit) {
    TopTraces top = new TopTraces(limit);
    TraceQuery window = hint.toQuery(start, end, 1);
    Map<TraceId, long[]> hintStarts = new HashMap<>();
    long cursor = end;
    int chunk = initialChunk > 0 ? initialChunk
        : (int) Math.min(maxChunk, Math.max(MIN_CHUNK, 2L * limit));
    while (true) {
      List<TraceId> ids = search.findTraceIds(hint.toQuery(start, cursor, chunk));
      long oldest = Long.MAX_VALUE;
      boolean progress = false;
      for (TraceId id : ids) {
        long[] starts = hintStarts.get(id);
        if (starts == null) {
          if (hintStarts.size() >= maxCandidates) {
            return top.result(true);
          }
          progress = true;
          List<Span> trace = reader.getTrace(id);
          starts = hintSpanStarts(trace, window);
          hintStarts.put(id, starts);
          consider(query, trace, start, end, top);
        }
        long latest = latestAtOrBefore(starts, cursor);
        oldest = latest == Long.MIN_VALUE ? oldest : Math.min(oldest, latest);
      }
      if (ids.size() < chunk) {
        return top.result(false); // the store had nothing more at or before the cursor
      }
      if (!progress) {
        if (chunk >= maxChunk) {
          return top.result(true);
        }
        chunk = (int) Math.min(maxChunk, chunk * 2L);
        continue;
      }
      if (oldest != Long.MAX_VALUE) {
        cursor = oldest;
      }
      if (top.settled(cursor)) {
        return top.result(false);
      }
    }
  }

  private static void consider(TraceQlQuery query, List<Span> trace, long start, long end,
      TopTraces top) {
    if (trace.isEmpty() || !within(trace, start, end)) {
      return;
    }
    query.evaluate(trace).ifPresent(m -> top.add(Summaries.of(trace, m)));
  }

  /** The search window's rule: every span of the trace started within it. */
  static boolean within(List<Span> trace, long start, long end) {
    for (Span s : trace) {
      if (s.startTimeUnixNano() < start || s.startTimeUnixNano() > end) {
        return false;
      }
    }
    return true;
  }

  private static long[] hintSpanStarts(List<Span> trace, TraceQuery window) {
    return trace.stream().filter(window::test).mapToLong(Span::startTimeUnixNano).sorted()
        .toArray();
  }

  /** The largest value at or before {@code bound}, or {@code Long.MIN_VALUE} when none. */
  private static long latestAtOrBefore(long[] sorted, long bound) {
    int i = Arrays.binarySearch(sorted, bound);
    if (i >= 0) {
      return bound;
    }
    int insertion = -i - 1;
    return insertion == 0 ? Long.MIN_VALUE : sorted[insertion - 1];
  }
}
