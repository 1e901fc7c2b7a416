package io.strand.server.api.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.QueryParams;
import io.strand.model.TraceId;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.Params;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of Jaeger's {@code GET /api/traces}, checked, with Jaeger's defaults, and with
 * error messages worded as Jaeger's query service words them.
 *
 * @param service service name (required unless trace ids are given)
 * @param operation span name, or null for any
 * @param tags tag equalities from {@code tags} (a JSON object) and {@code tag} ({@code key:value})
 * @param minDurationNanos inclusive lower bound on span duration, 0 for none
 * @param maxDurationNanos inclusive upper bound on span duration, {@link Long#MAX_VALUE} for none
 * @param startMicros start of the time window, epoch microseconds
 * @param endMicros end of the time window, epoch microseconds
 * @param limit most traces to return
 * @param traceIds trace ids asked for directly ({@code traceID}, repeatable); when any are given,
 *     the other parameters are ignored, as in Jaeger
 */
record JaegerSearchRequest(
    String service,
    String operation,
    Map<String, String> tags,
    long minDurationNanos,
    long maxDurationNanos,
    long startMicros,
    long endMicros,
    int limit,
    List<TraceId> traceIds) {

  /** Jaeger's default {@code limit}. */
  static final int DEFAULT_LIMIT = 100;
  /** Jaeger's default search window when neither {@code start} nor {@code lookback} is given. */
  static final long DEFAULT_LOOKBACK_MICROS = 2L * 86_400_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the request's parameters.
   *
   * @param nowMicros the default {@code end}
   * @throws BadParameterException naming the first unusable parameter
   */
  static JaegerSearchRequest parse(QueryParams params, long nowMicros) {
    List<TraceId> traceIds = new ArrayList<>();
    for (String id : params.getAll("traceID")) {
      try {
        traceIds.add(JaegerIds.parse(id.trim()));
      } catch (IllegalArgumentException e) {
        throw new BadParameterException("traceID",
            "cannot parse traceID param: " + e.getMessage());
      }
    }
    String service = Params.text(params, "service");
    if (service == null && traceIds.isEmpty()) {
      throw new BadParameterException("service", "parameter 'service' is required");
    }
    long min = duration(params, "minDuration");
    long max = duration(params, "maxDuration");
    if (min != 0 && max != 0 && max < min) {
      throw new BadParameterException("maxDuration",
          "'maxDuration' should be greater than 'minDuration'");
    }
    long end = Params.wholeNumber(params, "end", nowMicros, 0);
    long start = Params.wholeNumber(params, "start", -1, 0);
    if (start < 0) {
      // The UI sends start and end computed from its lookback; API users may send lookback alone.
      String lookback = Params.text(params, "lookback");
      long lookbackMicros = lookback == null || lookback.equals("custom")
          ? DEFAULT_LOOKBACK_MICROS : duration(params, "lookback") / 1_000;
      start = Math.max(0, end - lookbackMicros);
    }
    if (start > end) {
      throw new BadParameterException("start",
          "'start' " + start + " is after 'end' " + end);
    }
    if (end >= Long.MAX_VALUE / 1_000L) {
      throw new BadParameterException("end", "'end' is too large: " + end);
    }
    return new JaegerSearchRequest(service, Params.text(params, "operation"), tags(params),
        min, max == 0 ? Long.MAX_VALUE : max, start, end,
        Params.limit(params, "limit", DEFAULT_LIMIT), traceIds);
  }

  /** A Go-style duration parameter in nanoseconds; 0 when absent. */
  private static long duration(QueryParams params, String name) {
    String text = Params.text(params, name);
    if (text == null) {
      return 0;
    }
    try {
      return GoDurations.parseNanos(text);
    } catch (IllegalArgumentException e) {
      throw new BadParameterException(name,
          "unable to parse param '" + name + "': " + e.getMessage());
    }
  }

  /** {@code tag=key:value} (repeatable) and {@code tags={"key":"value",...}} (repeatable). */
  private static Map<String, String> tags(QueryParams params) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String tag : params.getAll("tag")) {
      int colon = tag.indexOf(':');
      if (colon < 0) {
        throw new BadParameterException("tag",
            "malformed 'tag' parameter, expecting key:value, received: " + tag);
      }
      tags.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    for (String json : params.getAll("tags")) {
      if (json.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        throw new BadParameterException("tags",
            "malformed 'tags' parameter, cannot unmarshal JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new BadParameterException("tags",
            "malformed 'tags' parameter, expecting a JSON object of strings, received: " + json);
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        // Jaeger wants strings; numbers and booleans are taken as their text, as a user means.
        if (!e.getValue().isValueNode() || e.getValue().isNull()) {
          throw new BadParameterException("tags",
              "malformed 'tags' parameter, value of '" + e.getKey() + "' must be a string");
        }
        tags.put(e.getKey(), e.getValue().asText());
      }
    }
    return tags;
  }

  /** First nanosecond of the window. */
  long startTimeMinNanos() {
    return startMicros * 1_000L;
  }

  /** Last nanosecond of the window: the end of the microsecond {@code end}. */
  long startTimeMaxNanos() {
    return endMicros * 1_000L + 999L;
  }
}
