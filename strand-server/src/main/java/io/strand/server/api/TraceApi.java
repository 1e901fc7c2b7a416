package io.strand.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.codec.otlp.OtlpJsonEncoder;
import io.strand.storage.Operation;
import io.strand.storage.StorageComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strand's own read API under {@code /api/v1}. Store reads run off the event loop. */
@Blocking
public final class TraceApi {

  private final StorageComponent storage;
  private final OtlpJsonEncoder otlpJson = new OtlpJsonEncoder();

  public TraceApi(StorageComponent storage) {
    this.storage = storage;
  }

  /** A trace in Strand's JSON; 404 when unknown, 400 for a malformed id. */
  @Get("/api/v1/traces/{traceId}")
  public HttpResponse trace(@Param("traceId") String traceId) {
    return TraceLookup.render(storage.traceReader(), traceId, TraceLookup.ErrorStyle.JSON,
        spans -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
            SpanJsonWriter.trace(spans.get(0).traceId(), spans)));
  }

  /** A trace as an OTLP JSON {@code ExportTraceServiceRequest}, ready to be re-sent anywhere. */
  @Get("/api/v1/traces/{traceId}/otlp")
  public HttpResponse traceAsOtlp(@Param("traceId") String traceId) {
    return TraceLookup.render(storage.traceReader(), traceId, TraceLookup.ErrorStyle.JSON,
        spans -> HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, otlpJson.encode(spans)));
  }

  /** {@code {"services":[...]}}, sorted. */
  @Get("/api/v1/services")
  public HttpResponse services() {
    return JsonResponses.ok(Map.of("services", storage.serviceCatalog().services()));
  }

  /** {@code {"service":..., "operations":[{"name":..., "kind":...}]}}, sorted. */
  @Get("/api/v1/services/{service}/operations")
  public HttpResponse operations(@Param("service") String service) {
    List<Map<String, String>> ops = storage.serviceCatalog().operations(service).stream()
        .map(TraceApi::operationJson).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", service);
    body.put("operations", ops);
    return JsonResponses.ok(body);
  }

  private static Map<String, String> operationJson(Operation op) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", op.name());
    m.put("kind", op.kind().name());
    return m;
  }
}
