package io.strand.storage;

import io.strand.model.AttributeValue;
import io.strand.model.Span;
import io.strand.model.StatusCode;
import java.util.Map;

/**
 * A search for traces containing a span that satisfies every given criterion at once (as in
 * Jaeger: service, operation, attributes, duration and time all hold for the same span).
 *
 * @param serviceName the span's service, or null for any
 * @param operationName the span's name, or null for any
 * @param statusCode the span's status, or null for any
 * @param attributes attribute equalities; a key matches a span attribute or, failing that, a
 *     resource attribute, compared by {@link AttributeValue#asText()}
 * @param minDurationNanos inclusive lower bound on span duration
 * @param maxDurationNanos inclusive upper bound on span duration
 * @param startTimeMinNanos inclusive lower bound on span start
 * @param startTimeMaxNanos inclusive upper bound on span start
 * @param limit most trace ids to return, at least 1
 */
public record TraceQuery(
    String serviceName,
    String operationName,
    StatusCode statusCode,
    Map<String, String> attributes,
    long minDurationNanos,
    long maxDurationNanos,
    long startTimeMinNanos,
    long startTimeMaxNanos,
    int limit) {

  public TraceQuery {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (minDurationNanos > maxDurationNanos) {
      throw new IllegalArgumentException(
          "minimum duration " + minDurationNanos + "ns exceeds maximum " + maxDurationNanos + "ns");
    }
    if (startTimeMinNanos > startTimeMaxNanos) {
      throw new IllegalArgumentException("start of the time range is after its end");
    }
  }

  /** Starts a query over all time with limit 20 and no other criteria. */
  public static Builder builder() {
    return new Builder();
  }

  /** The single predicate that decides a match; indexes only narrow the candidates. */
  public boolean test(Span span) {
    if (serviceName != null && !serviceName.equals(span.serviceName())) {
      return false;
    }
    if (operationName != null && !operationName.equals(span.name())) {
      return false;
    }
    if (statusCode != null && statusCode != span.statusCode()) {
      return false;
    }
    long duration = span.durationNanos();
    if (duration < minDurationNanos || duration > maxDurationNanos) {
      return false;
    }
    long start = span.startTimeUnixNano();
    if (start < startTimeMinNanos || start > startTimeMaxNanos) {
      return false;
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      AttributeValue v = span.attributes().get(e.getKey());
      if (v == null) {
        v = span.resource().attributes().get(e.getKey());
      }
      if (v == null || !v.asText().equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Fluent construction with open defaults. */
  public static final class Builder {
    private String serviceName;
    private String operationName;
    private StatusCode statusCode;
    private Map<String, String> attributes = Map.of();
    private long minDuration = 0;
    private long maxDuration = Long.MAX_VALUE;
    private long startMin = Long.MIN_VALUE;
    private long startMax = Long.MAX_VALUE;
    private int limit = 20;

    public Builder serviceName(String v) {
      serviceName = v;
      return this;
    }

    public Builder operationName(String v) {
      operationName = v;
      return this;
    }

    public Builder statusCode(StatusCode v) {
      statusCode = v;
      return this;
    }

    public Builder attributes(Map<String, String> v) {
      attributes = v;
      return this;
    }

    public Builder minDurationNanos(long v) {
      minDuration = v;
      return this;
    }

    public Builder maxDurationNanos(long v) {
      maxDuration = v;
      return this;
    }

    public Builder startTimeMinNanos(long v) {
      startMin = v;
      return this;
    }

    public Builder startTimeMaxNanos(long v) {
      startMax = v;
      return this;
    }

    public Builder limit(int v) {
      limit = v;
      return this;
    }

    public TraceQuery build() {
      return new TraceQuery(serviceName, operationName, statusCode, attributes, minDuration,
          maxDuration, startMin, startMax, limit);
    }
  }
}
