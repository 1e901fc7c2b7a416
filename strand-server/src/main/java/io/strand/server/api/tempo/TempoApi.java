package io.strand.server.api.tempo;

import com.google.protobuf.CodedOutputStream;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.codec.otlp.OtlpJsonEncoder;
import io.strand.codec.otlp.OtlpProtoEncoder;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.query.TagCatalog;
import io.strand.query.TraceQlException;
import io.strand.query.TraceSearchService;
import io.strand.server.api.JsonResponses;
import io.strand.server.api.search.BadParameterException;
import io.strand.server.api.search.Params;
import io.strand.server.api.search.SearchWindow;
import io.strand.storage.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of Grafana Tempo's HTTP API that Grafana's Tempo data source calls, served under
 * {@code /tempo}: TraceQL search, tag autocomplete, trace by id (OTLP JSON, or protobuf when
 * asked), echo, readiness and build info.
 */
@Blocking
public final class TempoApi {
  /** Reported to Grafana, which enables features by Tempo version; Strand serves their APIs. */
  static final String COMPATIBLE_TEMPO_VERSION = "2.6.0";
  private static final MediaType PROTOBUF = MediaType.parse("application/protobuf");

  private final TraceReader traces;
  private final TraceSearchService search;
  private final TagCatalog tags;
  private final Clock clock;
  private final OtlpJsonEncoder otlpJson = new OtlpJsonEncoder();
  private final OtlpProtoEncoder otlpProto = new OtlpProtoEncoder();

  public TempoApi(TraceReader traces, TraceSearchService search, TagCatalog tags, Clock clock) {
    this.traces = traces;
    this.search = search;
    this.tags = tags;
    this.clock = clock;
  }

  /** TraceQL search ({@code q}), or the older tag search ({@code tags}, durations) as TraceQL. */
  @Get("/api/search")
  public HttpResponse search(QueryParams params) {
    try {
      String q = Params.text(params, "q");
      if (q == null) {
        q = LegacySearch.toTraceQl(Params.text(params, "tags"),
            Params.text(params, "minDuration"), Params.text(params, "maxDuration"));
      }
      SearchWindow w = SearchWindow.from(params, clock);
      int spss = (int) Params.wholeNumber(params, "spss", 3, 1);
      return JsonResponses.ok(TempoSearchJson.of(
          search.search(q, w.startNanos(), w.endNanos(), w.limit()), spss));
    } catch (TraceQlException e) {
      return badRequest("invalid TraceQL query: " + e.getMessage());
    } catch (BadParameterException e) {
      return badRequest(e.getMessage());
    }
  }

  /** Tag names of every attribute scope, unscoped: {@code {"tagNames":[...]}}. */
  @Get("/api/search/tags")
  public HttpResponse tagNames() {
    List<String> names = new ArrayList<>(tags.tagNames(TagCatalog.Scope.SPAN));
    for (String n : tags.tagNames(TagCatalog.Scope.RESOURCE)) {
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    names.sort(null);
    return JsonResponses.ok(Map.of("tagNames", names));
  }

  /** Tag names by scope: {@code {"scopes":[{"name":"span","tags":[...]}, ...]}}. */
  @Get("/api/v2/search/tags")
  public HttpResponse scopedTagNames(QueryParams params) {
    String wanted = Params.text(params, "scope");
    List<Map<String, Object>> scopes = new ArrayList<>();
    for (TagCatalog.Scope s : TagCatalog.Scope.values()) {
      String name = s.name().toLowerCase(Locale.ROOT);
      if (wanted == null || wanted.equals("all") || wanted.equals(name)) {
        scopes.add(Map.of("name", name, "tags", tags.tagNames(s)));
      }
    }
    return JsonResponses.ok(Map.of("scopes", scopes));
  }

  /** Values of an unscoped tag (span attribute, else resource): {@code {"tagValues":[...]}}. */
  @Get("/api/search/tag/{tag}/values")
  public HttpResponse tagValues(@Param("tag") String tag) {
    try {
      return JsonResponses.ok(Map.of("tagValues", tags.tagValues("." + tag, null, 1000)));
    } catch (TraceQlException e) {
      return badRequest("invalid tag: " + e.getMessage());
    }
  }

  /** Values of a TraceQL field, typed: {@code {"tagValues":[{"type":"string","value":..}]}}. */
  @Get("/api/v2/search/tag/{tag}/values")
  public HttpResponse typedTagValues(@Param("tag") String tag, QueryParams params) {
    try {
      String type = tag.equals("status") || tag.equals("kind") || tag.endsWith(":status")
          || tag.endsWith(":kind") ? "keyword" : "string";
      List<Map<String, String>> values = tags.tagValues(tag, Params.text(params, "q"), 1000)
          .stream().map(v -> typedValue(type, v)).toList();
      return JsonResponses.ok(Map.of("tagValues", values));
    } catch (TraceQlException e) {
      return badRequest("invalid tag: " + e.getMessage());
    }
  }

  /** The trace as OTLP: JSON, or protobuf when the client accepts {@code application/protobuf}. */
  @Get("/api/traces/{traceId}")
  public HttpResponse trace(@Param("traceId") String traceId, HttpRequest request) {
    return withTrace(traceId, spans -> wantsProtobuf(request)
        ? HttpResponse.of(HttpStatus.OK, PROTOBUF, otlpProto.encode(spans).toByteArray())
        : HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, otlpJson.encode(spans)));
  }

  /** {@code {"trace": <OTLP>, "status": "COMPLETE"}}, or the same message in protobuf. */
  @Get("/api/v2/traces/{traceId}")
  public HttpResponse traceV2(@Param("traceId") String traceId, HttpRequest request) {
    return withTrace(traceId, spans -> {
      if (wantsProtobuf(request)) {
        return HttpResponse.of(HttpStatus.OK, PROTOBUF,
            traceByIdResponse(otlpProto.encode(spans).toByteArray()));
      }
      byte[] trace = otlpJson.encode(spans);
      byte[] prefix = "{\"trace\":".getBytes(StandardCharsets.UTF_8);
      byte[] suffix = ",\"status\":\"COMPLETE\"}".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream body = new ByteArrayOutputStream(trace.length + 40);
      body.writeBytes(prefix);
      body.writeBytes(trace);
      body.writeBytes(suffix);
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body.toByteArray());
    });
  }

  @Get("/api/echo")
  public HttpResponse echo() {
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "echo");
  }

  @Get("/ready")
  public HttpResponse ready() {
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready");
  }

  @Get("/api/status/buildinfo")
  public HttpResponse buildInfo() {
    Map<String, String> info = new LinkedHashMap<>();
    info.put("version", COMPATIBLE_TEMPO_VERSION);
    info.put("revision", "strand-0.1.0");
    info.put("branch", "");
    info.put("buildUser", "");
    info.put("buildDate", "");
    info.put("goVersion", "");
    return JsonResponses.ok(info);
  }

  private static Map<String, String> typedValue(String type, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("value", value);
    return m;
  }

  private HttpResponse withTrace(String traceId,
      java.util.function.Function<List<Span>, HttpResponse> render) {
    TraceId id;
    try {
      id = TraceId.fromHex(traceId);
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    List<Span> spans = traces.getTrace(id);
    return spans.isEmpty()
        ? HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8, "trace not found")
        : render.apply(spans);
  }

  private static boolean wantsProtobuf(HttpRequest request) {
    String accept = request.headers().get(HttpHeaderNames.ACCEPT);
    return accept != null && accept.contains("application/protobuf");
  }

  /** Tempo's {@code TraceByIDResponse}: the trace as field 1. */
  private static byte[] traceByIdResponse(byte[] trace) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(trace.length + 8);
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    try {
      coded.writeByteArray(1, trace);
      coded.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static HttpResponse badRequest(String message) {
    return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8, message);
  }
}
