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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * OTLP/HTTP {@code POST /v1/traces}, protobuf or JSON, optionally gzipped. Responses follow the
 * OTLP spec: 200 with an {@code ExportTraceServiceResponse} (carrying a partial success when some
 * spans were invalid), or a {@code google.rpc.Status} body in the request's encoding on errors.
 */
public final class OtlpHttpReceiver implements HttpService {

  static final String PROTOCOL = "otlp_http";

  private final IngestGate gate;
  private final long maxRequestBytes;
  private final OtlpProtoDecoder protoDecoder = new OtlpProtoDecoder();
  private final OtlpJsonDecoder jsonDecoder = new OtlpJsonDecoder();

  public OtlpHttpReceiver(IngestGate gate, long maxRequestBytes) {
    this.gate = gate;
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
      gate.invalid(PROTOCOL, 0);
      return CompletableFuture.completedFuture(error(Encoding.JSON,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE, Code.INVALID_ARGUMENT,
          "unsupported Content-Type '" + req.headers().get(HttpHeaderNames.CONTENT_TYPE)
              + "' (use application/x-protobuf or application/json)"));
    }
    DecodedBatch batch;
    byte[] body;
    try {
      body = RequestBodies.read(req, maxRequestBytes);
      batch = encoding == Encoding.PROTOBUF
          ? protoDecoder.decode(body) : jsonDecoder.decode(body);
    } catch (ReceiverException e) {
      gate.invalid(PROTOCOL, 0);
      return CompletableFuture.completedFuture(
          error(encoding, e.status(), Code.INVALID_ARGUMENT, e.getMessage()));
    } catch (CodecException e) {
      gate.invalid(PROTOCOL, 0);
      return CompletableFuture.completedFuture(
          error(encoding, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT, e.getMessage()));
    }
    if (batch.spans().isEmpty() && batch.rejectedSpans() > 0) {
      gate.invalid(PROTOCOL, batch.rejectedSpans());
      return CompletableFuture.completedFuture(error(encoding, HttpStatus.BAD_REQUEST,
          Code.INVALID_ARGUMENT, batch.errorMessage()));
    }
    return gate.submit(PROTOCOL, batch, body.length).thenApply(o -> respond(encoding, o));
  }

  private static HttpResponse respond(Encoding encoding, IngestOutcome outcome) {
    return switch (outcome.kind()) {
      case STORED -> success(encoding, outcome);
      case LIMITED -> error(encoding, HttpStatus.BAD_REQUEST, Code.INVALID_ARGUMENT,
          outcome.message());
      case OVERLOADED -> retryLater(encoding, HttpStatus.TOO_MANY_REQUESTS,
          Code.RESOURCE_EXHAUSTED, RetryDelays.OVERLOADED, outcome.message());
      case STORE_FAILED -> retryLater(encoding, HttpStatus.SERVICE_UNAVAILABLE,
          Code.UNAVAILABLE, RetryDelays.STORE_FAILED, outcome.message());
    };
  }

  /** A refusal the OTLP exporters retry after {@code delay}. */
  private static HttpResponse retryLater(Encoding encoding, HttpStatus status, Code code,
      Duration delay, String message) {
    return HttpResponse.of(ResponseHeaders.builder(status)
        .add(HttpHeaderNames.RETRY_AFTER, RetryDelays.retryAfter(delay))
        .contentType(mediaType(encoding)).build(), statusBody(encoding, code, message));
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
