package io.strand.server.api.search;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.StorageComponent;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a search for the compatibility APIs and returns whole traces, newest first: the traces
 * containing a span that satisfies any one of several {@link SearchCriteria}.
 *
 * <p>Several criteria arise when one client query needs several store queries (each stored
 * spelling of a case-insensitive name, or "status ERROR" and "attribute error=true" for Jaeger's
 * {@code error=true}). Each runs with the full limit; because the store returns the newest
 * matches first, the newest {@code limit} of their union are exactly the answer.
 *
 * <p>Criteria with a span filter may lose candidates the store found, so their store query is
 * paged backwards in time until enough traces pass, the store runs dry, or {@link
 * #MAX_CANDIDATES} traces have been read; a search over a rare condition in a busy store may
 * therefore stop short of its limit rather than read everything.
 *
 * <p>"Newest" is the start of the latest matching span of a trace, as {@link
 * TraceSearch#findTraceIds} orders them, ties broken by trace id.
 */
public final class TraceFinder {
  /** Most traces one search returns; every result is read whole, so larger limits are capped. */
  public static final int MAX_LIMIT = 1000;
  /** Most candidate traces one filtered search reads before giving up on reaching its limit. */
  static final int MAX_CANDIDATES = 2000;
  /** Smallest store page when a span filter may reject candidates. */
  private static final int MIN_FILTERED_PAGE = 50;

  private final TraceSearch search;
  private final TraceReader reader;

  public TraceFinder(StorageComponent storage) {
    this(storage.traceSearch(), storage.traceReader());
  }

  TraceFinder(TraceSearch search, TraceReader reader) {
    this.search = search;
    this.reader = reader;
  }

  /**
   * Traces matching any of {@code alternatives}, newest first, at most {@code limit} (itself
   * capped at {@link #MAX_LIMIT}); each trace is the store's full span list.
   */
  public List<List<Span>> find(List<SearchCriteria> alternatives, int limit) {
    int max = Math.max(1, Math.min(limit, MAX_LIMIT));
    Run run = new Run();
    for (SearchCriteria c : alternatives) {
      collect(c, max, run);
    }
    List<Map.Entry<TraceId, Long>> ordered = new ArrayList<>(run.latestMatch.entrySet());
    ordered.sort(Map.Entry.<TraceId, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    List<List<Span>> out = new ArrayList<>(Math.min(max, ordered.size()));
    for (Map.Entry<TraceId, Long> e : ordered.subList(0, Math.min(max, ordered.size()))) {
      out.add(run.traces.get(e.getKey()));
    }
    return out;
  }

  /** State of one {@link #find} call: traces read so far (each read once) and matches. */
  private static final class Run {
    final Map<TraceId, List<Span>> traces = new HashMap<>();
    final Map<TraceId, Long> latestMatch = new HashMap<>();
    int reads;
  }

  private void collect(SearchCriteria criteria, int limit, Run run) {
    boolean filtered = criteria.spanFilter() != null;
    int page = filtered ? Math.min(MAX_LIMIT, Math.max(2 * limit, MIN_FILTERED_PAGE)) : limit;
    TraceQuery query = copy(criteria.query(), criteria.query().startTimeMaxNanos(), page);
    Set<TraceId> seen = new HashSet<>();
    int accepted = 0;
    while (true) {
      List<TraceId> ids = search.findTraceIds(query);
      boolean fresh = false;
      long oldestCandidate = Long.MAX_VALUE;
      for (TraceId id : ids) {
        if (!seen.add(id)) {
          continue;
        }
        fresh = true;
        List<Span> spans = run.traces.get(id);
        if (spans == null) {
          spans = reader.getTrace(id);
          run.traces.put(id, spans);
          run.reads++;
        }
        long latestCandidate = Long.MIN_VALUE;
        long latestMatch = Long.MIN_VALUE;
        for (Span s : spans) {
          if (criteria.query().test(s)) {
            latestCandidate = Math.max(latestCandidate, s.startTimeUnixNano());
            if (!filtered || criteria.spanFilter().test(s)) {
              latestMatch = Math.max(latestMatch, s.startTimeUnixNano());
            }
          }
        }
        if (latestCandidate != Long.MIN_VALUE) {
          oldestCandidate = Math.min(oldestCandidate, latestCandidate);
        }
        if (latestMatch != Long.MIN_VALUE) {
          run.latestMatch.merge(id, latestMatch, Math::max);
          accepted++;
        }
      }
      boolean storeRanDry = ids.size() < query.limit();
      if (!filtered || !fresh || storeRanDry || accepted >= limit
          || run.reads >= MAX_CANDIDATES || oldestCandidate == Long.MAX_VALUE) {
        return;
      }
      // Every trace not yet returned has its latest matching span at or before the oldest
      // "latest matching span" of this page, so narrowing the window there loses none of them;
      // the inclusive bound re-finds ties, which `seen` skips.
      query = copy(query, oldestCandidate, page);
    }
  }

  private static TraceQuery copy(TraceQuery q, long startTimeMaxNanos, int limit) {
    return new TraceQuery(q.serviceName(), q.operationName(), q.statusCode(), q.attributes(),
        q.minDurationNanos(), q.maxDurationNanos(), q.startTimeMinNanos(), startTimeMaxNanos,
        limit);
  }
}
