package io.strand.server.api.zipkin;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.codec.zipkin.ZipkinEncoder;
import io.strand.model.AttributeValue;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.server.api.JsonResponses;
import io.strand.server.api.TraceLookup;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.NameMatch;
import io.strand.server.api.search.Params;
import io.strand.server.api.search.TraceFinder;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.StorageComponent;
import io.strand.storage.TraceQuery;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Zipkin v2 read API, answering in Zipkin's own JSON so Zipkin's UI and tools work: served on
 * the Zipkin port and under {@code /zipkin} on the query port. Errors are plain text, as Zipkin
 * answers them. How searches map onto the store is described on {@link ZipkinSearchPlan}.
 */
@Blocking
public final class ZipkinQueryApi {
  /** How far back {@code autocompleteValues} looks, and how many traces it reads at most. */
  private static final long AUTOCOMPLETE_WINDOW_NANOS = 3_600_000_000_000L;
  private static final int AUTOCOMPLETE_TRACES = 200;

  private final StorageComponent storage;
  private final TraceFinder finder;
  private final Clock clock;
  private final ZipkinEncoder zipkinJson = new ZipkinEncoder();

  public ZipkinQueryApi(StorageComponent storage) {
    this(storage, Clock.systemUTC());
  }

  /** With a clock for the default end of search windows, so tests can fix "now". */
  public ZipkinQueryApi(StorageComponent storage, Clock clock) {
    this.storage = storage;
    this.finder = new TraceFinder(storage);
    this.clock = clock;
  }

  /** The trace's spans as a Zipkin JSON array; 404 when unknown. */
  @Get("/api/v2/trace/{traceId}")
  public HttpResponse trace(@Param("traceId") String traceId) {
    return TraceLookup.render(storage.traceReader(), traceId, TraceLookup.ErrorStyle.PLAIN,
        spans -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
            zipkinJson.encodeJson(spans)));
  }

  /** Service names, sorted. */
  @Get("/api/v2/services")
  public HttpResponse services() {
    return JsonResponses.ok(storage.serviceCatalog().services());
  }

  /**
   * Span names of a service, sorted and distinct; the service name compares ignoring case, as in
   * searches. 400 without {@code serviceName}.
   */
  @Get("/api/v2/spans")
  public HttpResponse spans(QueryParams params) {
    try {
      String service = Params.required(params, "serviceName");
      ServiceCatalog catalog = storage.serviceCatalog();
      TreeSet<String> out = new TreeSet<>();
      for (String stored : NameMatch.storedSpellings(catalog.services(), service)) {
        catalog.operations(stored).forEach(op -> out.add(op.name()));
      }
      return JsonResponses.ok(List.copyOf(out));
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /**
   * Services the given service calls (their {@code peer.service}), sorted; the service name
   * compares ignoring case. 400 without {@code serviceName}.
   */
  @Get("/api/v2/remoteServices")
  public HttpResponse remoteServices(QueryParams params) {
    try {
      String service = Params.required(params, "serviceName");
      ServiceCatalog catalog = storage.serviceCatalog();
      TreeSet<String> out = new TreeSet<>();
      for (String stored : NameMatch.storedSpellings(catalog.services(), service)) {
        out.addAll(catalog.remoteServices(stored));
      }
      return JsonResponses.ok(List.copyOf(out));
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /**
   * Traces matching {@code serviceName}, {@code spanName}, {@code remoteServiceName}, {@code
   * annotationQuery}, {@code minDuration}/{@code maxDuration} (microseconds) in the window {@code
   * endTs - lookback .. endTs} (epoch milliseconds; defaults now and one day), newest first, at
   * most {@code limit} (default 10): a JSON array of traces, each an array of Zipkin spans.
   */
  @Get("/api/v2/traces")
  public HttpResponse traces(QueryParams params) {
    try {
      ZipkinSearchRequest request = ZipkinSearchRequest.parse(params, clock.millis());
      List<List<Span>> traces = finder.find(
          ZipkinSearchPlan.plan(request, storage.serviceCatalog()), request.limit());
      return jsonTraces(traces);
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /**
   * The traces with the given comma-separated ids, in the order asked, unknown ones left out.
   * Zipkin insists on at least two ids; one is accepted here too.
   */
  @Get("/api/v2/traceMany")
  public HttpResponse traceMany(QueryParams params) {
    try {
      Set<TraceId> ids = new LinkedHashSet<>();
      for (String text : Params.required(params, "traceIds").split(",")) {
        if (text.isBlank()) {
          continue;
        }
        try {
          ids.add(TraceId.fromHex(text.trim()));
        } catch (IllegalArgumentException e) {
          throw new BadParameterException("traceIds",
              "traceIds: '" + text.trim() + "' is not a trace id: " + e.getMessage());
        }
      }
      List<List<Span>> traces = new ArrayList<>(ids.size());
      for (TraceId id : ids) {
        List<Span> spans = storage.traceReader().getTrace(id);
        if (!spans.isEmpty()) {
          traces.add(spans);
        }
      }
      return jsonTraces(traces);
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /**
   * Tag keys offered for autocompletion. None yet: choosing them well needs a catalog of the keys
   * seen, which the store does not keep yet, and Zipkin's UI handles an empty list by not
   * offering autocompletion.
   */
  @Get("/api/v2/autocompleteKeys")
  public HttpResponse autocompleteKeys() {
    return JsonResponses.ok(List.of());
  }

  /**
   * Distinct values of attribute {@code key} (span attribute, else resource attribute), sorted,
   * among the most recent traces of the last hour; bounded so that one call reads at most {@value
   * #AUTOCOMPLETE_TRACES} traces. 400 without {@code key}.
   */
  @Get("/api/v2/autocompleteValues")
  public HttpResponse autocompleteValues(QueryParams params) {
    try {
      String key = Params.required(params, "key");
      long now = clock.millis() * 1_000_000L;
      TraceQuery recent = TraceQuery.builder()
          .startTimeMinNanos(now - AUTOCOMPLETE_WINDOW_NANOS)
          .limit(AUTOCOMPLETE_TRACES)
          .build();
      TreeSet<String> values = new TreeSet<>();
      for (TraceId id : storage.traceSearch().findTraceIds(recent)) {
        for (Span s : storage.traceReader().getTrace(id)) {
          AttributeValue v = s.attributes().get(key);
          if (v == null) {
            v = s.resource().attributes().get(key);
          }
          if (v != null) {
            values.add(v.asText());
          }
        }
      }
      return JsonResponses.ok(List.copyOf(values));
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /** {@code [[span,...],[span,...]]}, reusing the codec's encoding of each trace. */
  private HttpResponse jsonTraces(List<List<Span>> traces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = 0; i < traces.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(zipkinJson.encodeJson(traces.get(i)));
    }
    out.write(']');
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, out.toByteArray());
  }

  private static HttpResponse badRequest(String message) {
    return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, message);
  }
}
