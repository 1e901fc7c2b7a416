package io.strand.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.model.AttributeValue;
import io.strand.model.SpanId;
import io.strand.query.MatchedSpan;
import io.strand.query.SearchResult;
import io.strand.query.TagCatalog;
import io.strand.query.TraceQlException;
import io.strand.query.TraceSearchService;
import io.strand.query.TraceSummary;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.Params;
import io.strand.server.api.search.SearchWindow;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TraceQL search and autocomplete in Strand's own JSON: {@code /api/v1/search},
 * {@code /api/v1/search/tags} and {@code /api/v1/search/tag/{name}/values}.
 */
@Blocking
public final class TraceQlSearchApi {
  static final int DEFAULT_VALUES_LIMIT = 100;

  private final TraceSearchService search;
  private final TagCatalog tags;
  private final Clock clock;

  public TraceQlSearchApi(TraceSearchService search, TagCatalog tags, Clock clock) {
    this.search = search;
    this.tags = tags;
    this.clock = clock;
  }

  /**
   * {@code {"traces":[...], "truncated": bool}}, newest first; 400 naming the position of a
   * TraceQL error or the bad parameter.
   */
  @Get("/api/v1/search")
  public HttpResponse search(QueryParams params) {
    try {
      String q = Params.required(params, "q");
      SearchWindow w = SearchWindow.from(params, clock);
      return JsonResponses.ok(json(search.search(q, w.startNanos(), w.endNanos(), w.limit())));
    } catch (TraceQlException e) {
      return traceQlError(e);
    } catch (BadParameterException e) {
      return JsonResponses.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  /** {@code {"scope":..., "tags":[...]}} for one scope, or every scope when none is given. */
  @Get("/api/v1/search/tags")
  public HttpResponse tagNames(QueryParams params) {
    String scope = Params.text(params, "scope");
    if (scope == null) {
      Map<String, List<String>> all = new LinkedHashMap<>();
      for (TagCatalog.Scope s : TagCatalog.Scope.values()) {
        all.put(s.name().toLowerCase(Locale.ROOT), tags.tagNames(s));
      }
      return JsonResponses.ok(Map.of("scopes", all));
    }
    TagCatalog.Scope s;
    try {
      s = TagCatalog.Scope.valueOf(scope.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return JsonResponses.error(HttpStatus.BAD_REQUEST,
          "scope must be span, resource or intrinsic, got '" + scope + "'");
    }
    return JsonResponses.ok(Map.of("scope", scope.toLowerCase(Locale.ROOT),
        "tags", tags.tagNames(s)));
  }

  /** {@code {"tag":..., "values":[...]}}, most frequent first; {@code q} filters by prefix. */
  @Get("/api/v1/search/tag/{name}/values")
  public HttpResponse tagValues(@Param("name") String name, QueryParams params) {
    try {
      int limit = Params.limit(params, "limit", DEFAULT_VALUES_LIMIT);
      return JsonResponses.ok(Map.of("tag", name,
          "values", tags.tagValues(name, Params.text(params, "q"), limit)));
    } catch (TraceQlException e) {
      return traceQlError(e);
    } catch (BadParameterException e) {
      return JsonResponses.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  static HttpResponse traceQlError(TraceQlException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.getMessage());
    body.put("position", e.position());
    return JsonResponses.of(HttpStatus.BAD_REQUEST, body);
  }

  private static Map<String, Object> json(SearchResult result) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("traces", result.traces().stream().map(TraceQlSearchApi::trace).toList());
    out.put("truncated", result.truncated());
    return out;
  }

  private static Map<String, Object> trace(TraceSummary t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", t.traceId().toHex());
    m.put("rootServiceName", t.rootServiceName());
    m.put("rootName", t.rootName());
    m.put("startTimeUnixNano", t.startTimeUnixNano());
    m.put("durationNanos", t.durationNanos());
    m.put("spanCount", t.spanCount());
    m.put("errorCount", t.errorCount());
    m.put("services", t.services());
    m.put("spans", t.matchedSpans().stream().map(TraceQlSearchApi::span).toList());
    return m;
  }

  private static Map<String, Object> span(MatchedSpan s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spanId", SpanId.toHex(s.spanId()));
    m.put("name", s.name());
    m.put("service", s.service());
    m.put("startTimeUnixNano", s.startTimeUnixNano());
    m.put("durationNanos", s.durationNanos());
    Map<String, Object> selected = new LinkedHashMap<>();
    s.selected().forEach((k, v) -> selected.put(k, plain(v)));
    m.put("attributes", selected);
    return m;
  }

  /** Scalars keep their JSON type; arrays, lists and bytes are shown as text. */
  private static Object plain(AttributeValue v) {
    return switch (v) {
      case null -> null;
      case AttributeValue.StringValue x -> x.value();
      case AttributeValue.LongValue x -> x.value();
      case AttributeValue.DoubleValue x -> x.value();
      case AttributeValue.BoolValue x -> x.value();
      default -> v.asText();
    };
  }
}
