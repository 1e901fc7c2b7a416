package io.strand.storage;

import io.strand.model.TraceId;
import java.util.List;

/** Finds traces by the spans they contain. */
public interface TraceSearch {

  /**
   * Ids of traces that contain at least one span matching {@link TraceQuery#test}, newest first
   * (by the latest start time among a trace's matching spans, ties by trace id), at most {@link TraceQuery#limit()}
   * of them. Backends may use indexes that over-match, but the result must be exactly what the
   * predicate selects.
   */
  List<TraceId> findTraceIds(TraceQuery query);
}
