package io.strand.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import com.linecorp.armeria.server.annotation.Param;
import io.strand.codec.zipkin.ZipkinEncoder;
import io.strand.storage.Operation;
import io.strand.storage.StorageComponent;
import java.util.Optional;

/**
 * The Zipkin v2 read API, answering in Zipkin's own JSON so Zipkin's UI and tools work: served on
 * the Zipkin port and under {@code /zipkin} on the query port.
 */
@Blocking
public final class ZipkinQueryApi {

  private final StorageComponent storage;
  private final ZipkinEncoder zipkinJson = new ZipkinEncoder();

  public ZipkinQueryApi(StorageComponent storage) {
    this.storage = storage;
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

  /** Span names of a service, sorted and distinct; 400 without {@code serviceName}. */
  @Get("/api/v2/spans")
  public HttpResponse spans(@Param("serviceName") Optional<String> serviceName) {
    if (serviceName.isEmpty() || serviceName.get().isBlank()) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
          "serviceName is required");
    }
    return JsonResponses.ok(storage.serviceCatalog().operations(serviceName.get()).stream()
        .map(Operation::name).distinct().toList());
  }
}
