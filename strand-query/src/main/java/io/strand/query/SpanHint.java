package io.strand.query;

import io.strand.model.StatusCode;
import io.strand.storage.TraceQuery;
import java.util.HashMap;
import java.util.Map;

/**
 * A per-span predicate that every trace a query matches must satisfy with at least one span: the
 * part of a query the store can evaluate from its indexes (one {@link TraceQuery} without time
 * bounds and limit).
 */
record SpanHint(
    String serviceName,
    String operationName,
    StatusCode statusCode,
    Map<String, String> attributes,
    long minDurationNanos,
    long maxDurationNanos) {

  /** No criterion: any span will do, so the store scans the time range. */
  static final SpanHint ANY = new SpanHint(null, null, null, Map.of(), 0, Long.MAX_VALUE);

  SpanHint {
    attributes = Map.copyOf(attributes);
  }

  /**
   * A rough selectivity: more pushed-down equalities narrow the candidates more. Operation names
   * and attributes tend to be rarer than services; error status is rarer than ok or unset.
   */
  int score() {
    int s = 3 * attributes.size();
    s += operationName != null ? 4 : 0;
    s += serviceName != null ? 2 : 0;
    s += statusCode == StatusCode.ERROR ? 2 : statusCode != null ? 1 : 0;
    s += minDurationNanos > 0 ? 1 : 0;
    s += maxDurationNanos < Long.MAX_VALUE ? 1 : 0;
    return s;
  }

  /** The more selective of two hints, the first on a tie. */
  static SpanHint best(SpanHint a, SpanHint b) {
    return b.score() > a.score() ? b : a;
  }

  /** The store query for spans satisfying this hint that started within the bounds. */
  TraceQuery toQuery(long startTimeMinNanos, long startTimeMaxNanos, int limit) {
    return TraceQuery.builder()
        .serviceName(serviceName)
        .operationName(operationName)
        .statusCode(statusCode)
        .attributes(attributes)
        .minDurationNanos(minDurationNanos)
        .maxDurationNanos(maxDurationNanos)
        .startTimeMinNanos(startTimeMinNanos)
        .startTimeMaxNanos(startTimeMaxNanos)
        .limit(limit)
        .build();
  }

  /** Collects criteria; the first value of each criterion wins (any one is a valid hint). */
  static final class Builder {
    private String service;
    private String operation;
    private StatusCode status;
    private final Map<String, String> attributes = new HashMap<>();
    private long min = 0;
    private long max = Long.MAX_VALUE;

    void service(String v) {
      service = service == null ? v : service;
    }

    void operation(String v) {
      operation = operation == null ? v : operation;
    }

    void status(StatusCode v) {
      status = status == null ? v : status;
    }

    void attribute(String key, String text) {
      attributes.putIfAbsent(key, text);
    }

    void minDuration(long nanos) {
      min = Math.max(min, nanos);
    }

    void maxDuration(long nanos) {
      max = Math.min(max, nanos);
    }

    SpanHint build() {
      // Contradictory bounds match no span; dropping them keeps the hint a valid superset.
      boolean bounded = min <= max;
      return new SpanHint(service, operation, status, attributes, bounded ? min : 0,
          bounded ? max : Long.MAX_VALUE);
    }
  }
}
