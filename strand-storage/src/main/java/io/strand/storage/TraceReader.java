package io.strand.storage;

import io.strand.model.Span;
import io.strand.model.TraceId;
import java.util.List;

/** Reads traces by id. */
public interface TraceReader {

  /**
   * All stored spans of a trace, ordered by start time then span id; an empty list (never null)
   * when the trace is unknown or has expired. The returned list and spans belong to the caller.
   */
  List<Span> getTrace(TraceId traceId);
}
