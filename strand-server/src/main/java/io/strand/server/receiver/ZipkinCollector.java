package io.strand.server.receiver;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.codec.zipkin.ZipkinDecoder;
import io.strand.pipeline.SpanIngester;
import java.util.concurrent.CompletableFuture;

/**
 * Zipkin v2 {@code POST /api/v2/spans}: JSON or proto3, optionally gzipped; 202 when stored, as
 * the Zipkin server answers. Zipkin has no partial success, so a request with any invalid span is
 * refused whole with 400 and nothing of it is stored.
 */
public final class ZipkinCollector implements HttpService {

  private final SpanIngester ingester;
  private final long maxRequestBytes;
  private final ZipkinDecoder decoder = new ZipkinDecoder();

  public ZipkinCollector(SpanIngester ingester, long maxRequestBytes) {
    this.ingester = ingester;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(req.aggregate().thenCompose(this::handle));
  }

  private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest req) {
    MediaType type = req.contentType();
    boolean proto = type != null && type.subtype().contains("protobuf");
    if (type != null && !proto && !type.subtype().equals("json")) {
      return done(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type '" + type
          + "' (use application/json or application/x-protobuf)");
    }
    DecodedBatch batch;
    try {
      byte[] body = RequestBodies.read(req, maxRequestBytes);
      batch = proto ? decoder.decodeProto3(body) : decoder.decodeJson(body);
    } catch (ReceiverException e) {
      return done(e.status(), e.getMessage());
    } catch (CodecException e) {
      return done(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (batch.rejectedSpans() > 0) {
      return done(HttpStatus.BAD_REQUEST, batch.errorMessage());
    }
    return IngestOutcome.ingest(ingester, batch).thenApply(o -> switch (o.kind()) {
      case STORED -> HttpResponse.of(HttpStatus.ACCEPTED);
      case OVERLOADED -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
          .add(HttpHeaderNames.RETRY_AFTER, "1").contentType(MediaType.PLAIN_TEXT_UTF_8).build(),
          com.linecorp.armeria.common.HttpData.ofUtf8(o.message()));
      case STORE_FAILED -> HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE,
          MediaType.PLAIN_TEXT_UTF_8, o.message());
    });
  }

  private static CompletableFuture<HttpResponse> done(HttpStatus status, String message) {
    return CompletableFuture.completedFuture(
        HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message));
  }
}
