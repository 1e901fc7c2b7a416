package io.strand.query;

import io.strand.storage.StorageComponent;

/**
 * Finds traces by TraceQL over any store of the storage SPI.
 *
 * <p>A search plans a per-span predicate that every matching trace must satisfy with some span
 * (see this module's README), asks the store for candidate traces by it, reads each candidate
 * whole, and evaluates the full query on it. The store's answer only narrows the candidates;
 * the query alone decides a match.
 *
 * <p><b>The window.</b> A trace belongs to the window {@code [startNanos, endNanos]} when every
 * one of its stored spans started within it. A trace still receiving spans after {@code
 * endNanos}, or begun before {@code startNanos}, is left out; this is what lets the store's time
 * bounds on the candidate span be an exact pre-filter.
 *
 * <p><b>Work bound.</b> At most 100,000 candidate traces are read per search; a search stopped
 * there reports {@code truncated} and may have missed newer matches.
 *
 * <p><b>Known gaps.</b> Attribute equalities are pushed to the store, which compares {@link
 * io.strand.model.AttributeValue#asText()} of the span attribute, else the resource attribute.
 * Search therefore misses a trace whose only matching spans hold the value in an array
 * attribute ({@code =} matches any element), as a double compared with an integer literal
 * ({@code 503.0} vs {@code 503}), or in a resource attribute shadowed by a span attribute of the
 * same key. {@link TraceQlQuery#evaluate} has no such gaps.
 *
 * <p>Thread-safe.
 */
public final class TraceSearchService {

  /** The largest limit accepted. */
  public static final int MAX_LIMIT = 10_000;

  private final SearchExecutor executor;

  public TraceSearchService(StorageComponent storage) {
    this.executor = new SearchExecutor(storage.traceSearch(), storage.traceReader());
  }

  /** With other paging bounds, for tests: see {@link SearchExecutor}. */
  TraceSearchService(StorageComponent storage, int initialChunk, int maxChunk,
      int maxCandidates) {
    this.executor = new SearchExecutor(storage.traceSearch(), storage.traceReader(),
        initialChunk, maxChunk, maxCandidates);
  }

  /**
   * Traces in the window that match the query, newest first by trace start (then trace id).
   *
   * @param traceQl the query
   * @param startNanos window start, inclusive, nanoseconds since the epoch
   * @param endNanos window end, inclusive
   * @param limit most traces to return, 1 to {@value #MAX_LIMIT}
   * @return the traces, and whether more matching traces exist beyond the limit
   * @throws TraceQlException when the query is not valid TraceQL
   * @throws IllegalArgumentException when the window is reversed or the limit out of range
   */
  public SearchResult search(String traceQl, long startNanos, long endNanos, int limit) {
    return search(TraceQl.parse(traceQl), startNanos, endNanos, limit);
  }

  /**
   * As {@link #search(String, long, long, int)}, for a query parsed already (say, to report a
   * syntax error before anything else).
   */
  public SearchResult search(TraceQlQuery query, long startNanos, long endNanos, int limit) {
    if (startNanos > endNanos) {
      throw new IllegalArgumentException("window start " + startNanos + " is after its end "
          + endNanos);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got "
          + limit);
    }
    return executor.run(query, QueryPlanner.plan(query.ast()), startNanos, endNanos, limit);
  }
}
