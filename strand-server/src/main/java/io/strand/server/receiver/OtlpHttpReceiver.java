package io.strand.server.receiver;

import com.google.rpc.Code;
import com.google.rpc.Status;
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
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.codec.otlp.OtlpJsonDecoder;
import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.pipeline.SpanIngester;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/HTTP {@code POST /v1/traces}, protobuf or JSON, optionally gzipped. Responses follow the
 * OTLP spec: 200 with an {@code ExportTraceServiceResponse} (carrying a partial success when some
 * spans were invalid), or a {@code google.rpc.Status} body in the request's encoding on errors.
 */
public final class OtlpHttpReceiver implements HttpService {

  private final SpanIngester ingester;
  private final long maxRequestBytes;
  private final OtlpProtoDecoder protoDecoder = new OtlpProtoDecoder();
  private final OtlpJsonDecoder jsonDecoder = new OtlpJsonDecoder();

  public OtlpHttpReceiver(SpanIngester ingester, long maxRequestBytes) {
    this.ingester = ingester;
    this.maxRequestBytes = maxRequestBytes;
  }

  private enum Encoding {
    PROTOBUF,
    JSON
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(req.aggregate().thenCompose(this::handle));
  }

  private CompletableFuture<HttpResponse> handle(AggregatedHttpRequest req) {
    Encoding encoding = encodingOf(req.contentType());
    if (encoding == null) {
      return CompletableFuture.completedFuture(error(Encoding.JSON,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT,
          "unsupported Content-Type '" + req.headers().get(HttpHeaderNames.CONTENT_TYPE)
              + "' (use application/x-protobuf or application/json)"));
    }
    DecodedBatch batch;
    try {
      byte[] body = RequestBodies.read(req, maxRequestBytes);
      batch = encoding == Encoding.PROTOBUF
          ? protoDecoder.decode(body) : jsonDecoder.decode(body);
    } catch (ReceiverException e) {
      return CompletableFuture.completedFuture(
          error(encoding, e.status(), Code.INVALID_ARGUMENT, e.getMessage()));
    } catch (CodecException e) {
      return CompletableFuture.completedFuture(
          error(encoding, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, e.getMessage()));
    }
    if (batch.spans().isEmpty() && batch.rejectedSpans() > 0) {
      return CompletableFuture.completedFuture(error(encoding, HttpStatus.BAD_REQUEST,
          Code.INVALID_ARGUMENT, batch.errorMessage()));
    }
    return IngestOutcome.ingest(ingester, batch).thenApply(o -> respond(encoding, o));
  }

  private static HttpResponse respond(Encoding encoding, IngestOutcome outcome) {
    return switch (outcome.kind()) {
      case STORED -> success(encoding, outcome);
      case OVERLOADED -> HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.TOO_MANY_REQUESTS)
              .add(HttpHeaderNames.RETRY_AFTER, "1")
              .contentType(mediaType(encoding)).build(),
          statusBody(encoding, Code.RESOURCE_EXHAUSTED, outcome.message()));
      case STORE_FAILED -> error(encoding, HttpStatus.SERVICE_UNAVAILABLE, Code.UNAVAILABLE,
          outcome.message());
    };
  }

  private static HttpResponse success(Encoding encoding, IngestOutcome outcome) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (outcome.rejectedSpans() > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(outcome.rejectedSpans())
          .setErrorMessage(outcome.message() == null ? "" : outcome.message()));
    }
    if (encoding == Encoding.PROTOBUF) {
      return HttpResponse.of(HttpStatus.OK, MediaType.PROTOBUF,
          HttpData.wrap(response.build().toByteArray()));
    }
    String json = outcome.rejectedSpans() == 0 ? "{}"
        : "{\"partialSuccess\":{\"rejectedSpans\":\"" + outcome.rejectedSpans()
            + "\",\"errorMessage\":" + JsonStrings.quote(outcome.message()) + "}}";
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, json);
  }

  private static HttpResponse error(Encoding encoding, HttpStatus status, Code code,
      String message) {
    return HttpResponse.of(ResponseHeaders.builder(status).contentType(mediaType(encoding))
        .build(), statusBody(encoding, code, message));
  }

  private static HttpData statusBody(Encoding encoding, Code code, String message) {
    if (encoding == Encoding.PROTOBUF) {
      return HttpData.wrap(Status.newBuilder().setCode(code.getNumber()).setMessage(message)
          .build().toByteArray());
    }
    return HttpData.ofUtf8("{\"code\":" + code.getNumber() + ",\"message\":"
        + JsonStrings.quote(message) + "}");
  }

  private static MediaType mediaType(Encoding encoding) {
    return encoding == Encoding.PROTOBUF ? MediaType.PROTOBUF : MediaType.JSON;
  }

  private static Encoding encodingOf(MediaType type) {
    if (type == null) {
      return null;
    }
    String subtype = type.subtype();
    if (subtype.equals("x-protobuf") || subtype.equals("protobuf")) {
      return Encoding.PROTOBUF;
    }
    if (subtype.equals("json")) {
      return Encoding.JSON;
    }
    return null;
  }

}
