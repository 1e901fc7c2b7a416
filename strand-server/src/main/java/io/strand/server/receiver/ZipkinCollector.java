package io.strand.server.receiver;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Zipkin v2 {@code POST /api/v2/spans}: JSON or proto3, optionally gzipped; 202 when stored, as
 * the Zipkin server answers. Zipkin has no partial success, so a request with any invalid span is
 * refused whole with 400 and nothing of it is stored.
 */
public final class ZipkinCollector implements HttpService {

  static final String PROTOCOL = "zipkin";

  private final IngestGate gate;
  private final long maxRequestBytes;
  private final ZipkinDecoder decoder = new ZipkinDecoder();

  public ZipkinCollector(IngestGate gate, long maxRequestBytes) {
    this.gate = gate;
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
      gate.invalid(PROTOCOL, 0);
      return done(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type '" + type
          + "' (use application/json or application/x-protobuf)");
    }
    DecodedBatch batch;
    byte[] body;
    try {
      body = RequestBodies.read(req, maxRequestBytes);
      batch = proto ? decoder.decodeProto3(body) : decoder.decodeJson(body);
    } catch (ReceiverException e) {
      gate.invalid(PROTOCOL, 0);
      return done(e.status(), e.getMessage());
    } catch (CodecException e) {
      gate.invalid(PROTOCOL, 0);
      return done(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (batch.rejectedSpans() > 0) {
      gate.invalid(PROTOCOL, batch.spans().size() + batch.rejectedSpans());
      return done(HttpStatus.BAD_REQUEST, batch.errorMessage());
    }
    return gate.submit(PROTOCOL, batch, body.length).thenApply(o -> switch (o.kind()) {
      case STORED -> HttpResponse.of(HttpStatus.ACCEPTED);
      case LIMITED -> HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
          o.message());
      case OVERLOADED -> retryLater(HttpStatus.TOO_MANY_REQUESTS, RetryDelays.OVERLOADED, o);
      case STORE_FAILED ->
          retryLater(HttpStatus.SERVICE_UNAVAILABLE, RetryDelays.STORE_FAILED, o);
    });
  }

  private static HttpResponse retryLater(HttpStatus status, Duration delay,
      IngestOutcome o) {
    return HttpResponse.of(ResponseHeaders.builder(status)
        .add(HttpHeaderNames.RETRY_AFTER, RetryDelays.retryAfter(delay))
        .contentType(MediaType.PLAIN_TEXT_UTF_8).build(), HttpData.ofUtf8(o.message()));
  }

  private static CompletableFuture<HttpResponse> done(HttpStatus status, String message) {
    return CompletableFuture.completedFuture(
        HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message));
  }
}
