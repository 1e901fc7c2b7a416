package io.strand.server.api.jaeger;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.Params;
import io.strand.server.api.search.TraceFinder;
import io.strand.storage.Operation;
import io.strand.storage.StorageComponent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jaeger's query API ({@code /api/services}, {@code /api/operations}, {@code /api/traces}, ...)
 * in the JSON the Jaeger UI reads, so the Jaeger UI and tools built on its API work against
 * Strand. Routes are Jaeger's own; the server mounts them under {@code /jaeger} on the query
 * port. Searches map onto the store as described on {@link JaegerSearchPlan}; traces are written
 * as described on {@link JaegerTraceWriter}.
 */
@Blocking
public final class JaegerQueryApi {
  private static final Set<String> SPAN_KINDS =
      Set.of("server", "client", "producer", "consumer", "internal");

  private final StorageComponent storage;
  private final TraceFinder finder;
  private final Clock clock;

  public JaegerQueryApi(StorageComponent storage) {
    this(storage, Clock.systemUTC());
  }

  /** With a clock for the default end of search windows, so tests can fix "now". */
  public JaegerQueryApi(StorageComponent storage, Clock clock) {
    this.storage = storage;
    this.finder = new TraceFinder(storage);
    this.clock = clock;
  }

  /** Service names, sorted. */
  @Get("/api/services")
  public HttpResponse services() {
    return JaegerResponses.list(storage.serviceCatalog().services());
  }

  /** Operation names of a service, sorted and distinct (the UI's older endpoint). */
  @Get("/api/services/{service}/operations")
  public HttpResponse serviceOperations(@Param("service") String service) {
    return JaegerResponses.list(storage.serviceCatalog().operations(service).stream()
        .map(Operation::name).distinct().toList());
  }

  /**
   * Operations of {@code service} as {@code {"name", "spanKind"}}, optionally only those of one
   * {@code spanKind} ({@code server}, {@code client}, {@code producer}, {@code consumer}, {@code
   * internal}); a name seen with several kinds is listed once per kind.
   */
  @Get("/api/operations")
  public HttpResponse operations(QueryParams params) {
    try {
      String service = Params.text(params, "service");
      if (service == null) {
        throw new BadParameterException("service", "parameter 'service' is required");
      }
      String kind = Params.text(params, "spanKind");
      if (kind != null && !SPAN_KINDS.contains(kind)) {
        throw new BadParameterException("spanKind", "unsupported span kind '" + kind
            + "', expecting one of server, client, producer, consumer, internal");
      }
      List<Map<String, String>> out = new ArrayList<>();
      for (Operation op : storage.serviceCatalog().operations(service)) {
        String opKind = JaegerSearchPlan.kindTag(op.kind());
        if (kind == null || kind.equals(opKind)) {
          Map<String, String> m = new LinkedHashMap<>();
          m.put("name", op.name());
          m.put("spanKind", opKind);
          out.add(m);
        }
      }
      return JaegerResponses.list(out);
    } catch (BadParameterException e) {
      return JaegerResponses.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  /**
   * Search: {@code service} (required), {@code operation}, {@code tags} (JSON object) or {@code
   * tag=key:value}, {@code minDuration}/{@code maxDuration} ({@code 100ms}, {@code 1.5s}), {@code
   * start}/{@code end} (epoch microseconds) or {@code lookback} ({@code 1h}; default 2 days),
   * {@code limit} (default 100); or {@code traceID} (repeatable) for those traces. Newest first.
   */
  @Get("/api/traces")
  public HttpResponse traces(QueryParams params) {
    try {
      JaegerSearchRequest request =
          JaegerSearchRequest.parse(params, clock.instant().toEpochMilli() * 1_000L);
      if (!request.traceIds().isEmpty()) {
        return byIds(request.traceIds());
      }
      return JaegerResponses.traces(
          finder.find(JaegerSearchPlan.plan(request), request.limit()), List.of());
    } catch (BadParameterException e) {
      return JaegerResponses.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
  }

  /** One trace as {@code {"data": [trace]}}; 404 when unknown, 400 for a malformed id. */
  @Get("/api/traces/{traceId}")
  public HttpResponse trace(@Param("traceId") String traceId) {
    TraceId id;
    try {
      id = JaegerIds.parse(traceId);
    } catch (IllegalArgumentException e) {
      return JaegerResponses.error(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    List<Span> spans = storage.traceReader().getTrace(id);
    if (spans.isEmpty()) {
      return JaegerResponses.error(HttpStatus.NOT_FOUND, "trace not found");
    }
    return JaegerResponses.traces(List.of(spans), List.of());
  }

  private HttpResponse byIds(List<TraceId> ids) {
    List<List<Span>> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (TraceId id : new LinkedHashSet<>(ids)) {
      List<Span> spans = storage.traceReader().getTrace(id);
      if (spans.isEmpty()) {
        missing.add(JaegerIds.toText(id));
      } else {
        found.add(spans);
      }
    }
    return JaegerResponses.traces(found, missing);
  }
}
