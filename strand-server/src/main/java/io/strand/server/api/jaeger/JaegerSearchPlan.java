package io.strand.server.api.jaeger;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.server.api.search.SearchCriteria;
import io.strand.storage.TraceQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns a Jaeger search into store searches. As in Jaeger, one span must satisfy everything:
 * service, operation, every tag, the duration bounds and the time window.
 *
 * <p>Tags Jaeger derives from OpenTelemetry fields (see {@link JaegerTraceWriter}) are searched
 * in those fields, so a search finds what the UI shows:
 *
 * <ul>
 *   <li>{@code error=true}: status ERROR, or an {@code error} attribute equal to {@code true} (as
 *       OpenTracing-era instrumentation sets it); two store queries, merged
 *   <li>{@code otel.status_code=ERROR|OK}: that status
 *   <li>{@code span.kind}, {@code otel.status_description}, {@code otel.scope.name}, {@code
 *       otel.scope.version}, {@code w3c.tracestate}: the span's kind, status message, scope and
 *       trace state, tested on each candidate span
 *   <li>any other tag: an attribute equality, span attribute else resource (process) attribute;
 *       unlike Jaeger, event (log) fields are not searched
 * </ul>
 */
final class JaegerSearchPlan {

  private JaegerSearchPlan() {}

  /** The store searches for {@code request}; empty when its tags contradict each other. */
  static List<SearchCriteria> plan(JaegerSearchRequest request) {
    StatusCode status = null;
    boolean errorTrue = false;
    Map<String, String> attributes = new HashMap<>();
    List<Predicate<Span>> filters = new ArrayList<>();
    for (Map.Entry<String, String> tag : request.tags().entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      switch (key) {
        case JaegerTags.ERROR -> {
          if (value.equalsIgnoreCase("true")) {
            errorTrue = true;
          } else {
            attributes.put(key, value);
          }
        }
        case JaegerTags.STATUS_CODE -> {
          StatusCode wanted = statusCode(value);
          if (wanted == null) {
            attributes.put(key, value);
          } else if (status != null && status != wanted) {
            return List.of();
          } else {
            status = wanted;
          }
        }
        case JaegerTags.SPAN_KIND -> filters.add(s -> kindTag(s.kind()).equals(value));
        case JaegerTags.STATUS_DESCRIPTION -> filters.add(s -> s.statusMessage().equals(value));
        case JaegerTags.SCOPE_NAME -> filters.add(s -> s.scope().name().equals(value));
        case JaegerTags.SCOPE_VERSION -> filters.add(s -> s.scope().version().equals(value));
        case JaegerTags.TRACE_STATE -> filters.add(s -> s.traceState().equals(value));
        default -> attributes.put(key, value);
      }
    }
    Predicate<Span> filter = filters.stream().reduce(Predicate::and).orElse(null);
    if (!errorTrue) {
      return List.of(new SearchCriteria(query(request, status, attributes), filter));
    }
    List<SearchCriteria> out = new ArrayList<>(2);
    if (status == null || status == StatusCode.ERROR) {
      out.add(new SearchCriteria(query(request, StatusCode.ERROR, attributes), filter));
    }
    Map<String, String> withErrorAttribute = new HashMap<>(attributes);
    withErrorAttribute.put(JaegerTags.ERROR, "true");
    out.add(new SearchCriteria(query(request, status, withErrorAttribute), filter));
    return out;
  }

  /** The {@code span.kind} tag value of a kind: lower case, empty for UNSPECIFIED. */
  static String kindTag(SpanKind kind) {
    return kind == SpanKind.UNSPECIFIED ? "" : kind.name().toLowerCase(Locale.ROOT);
  }

  private static StatusCode statusCode(String value) {
    if (value.equalsIgnoreCase("ERROR")) {
      return StatusCode.ERROR;
    }
    return value.equalsIgnoreCase("OK") ? StatusCode.OK : null;
  }

  private static TraceQuery query(JaegerSearchRequest request, StatusCode status,
      Map<String, String> attributes) {
    return TraceQuery.builder()
        .serviceName(request.service())
        .operationName(request.operation())
        .statusCode(status)
        .attributes(attributes)
        .minDurationNanos(request.minDurationNanos())
        .maxDurationNanos(request.maxDurationNanos())
        .startTimeMinNanos(request.startTimeMinNanos())
        .startTimeMaxNanos(request.startTimeMaxNanos())
        .limit(request.limit())
        .build();
  }
}
