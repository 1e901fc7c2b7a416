package io.strand.query;

import io.strand.model.TraceId;
import java.util.List;

/**
 * One trace of a search result.
 *
 * @param traceId the trace
 * @param rootServiceName the root span's service, or {@value #ROOT_NOT_RECEIVED} (as Tempo says)
 *     when no span without a parent has arrived
 * @param rootName the root span's name, empty when there is no root span
 * @param startTimeUnixNano the earliest span start
 * @param durationNanos the latest span end minus the earliest span start
 * @param spanCount spans stored for the trace
 * @param errorCount spans with status error
 * @param services distinct service names of the trace's spans, sorted
 * @param matchedSpans the spans the query matched, in start order
 */
public record TraceSummary(
    TraceId traceId,
    String rootServiceName,
    String rootName,
    long startTimeUnixNano,
    long durationNanos,
    int spanCount,
    int errorCount,
    List<String> services,
    List<MatchedSpan> matchedSpans) {

  /** The root service name of a trace whose root span is missing. */
  public static final String ROOT_NOT_RECEIVED = "<root span not yet received>";

  public TraceSummary {
    services = List.copyOf(services);
    matchedSpans = List.copyOf(matchedSpans);
  }
}
