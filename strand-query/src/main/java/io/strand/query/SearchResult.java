package io.strand.query;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param traces matching traces, newest first (by trace start, then trace id)
 * @param truncated whether more matching traces exist beyond the limit (or may exist, when the
 *     search stopped at its work bound)
 */
public record SearchResult(List<TraceSummary> traces, boolean truncated) {
  public SearchResult {
    traces = List.copyOf(traces);
  }
}
