package io.strand.server.receiver;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.codec.otlp.OtlpProtoDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * OTLP/gRPC {@code TraceService/Export}. The method is bound with a pass-through byte marshaller,
 * so gRPC still handles framing, compression and the message-size limit, while decoding happens
 * once, in Strand's decoder, and a malformed message is answered with INVALID_ARGUMENT and the
 * decoder's message rather than a generic INTERNAL.
 */
public final class OtlpGrpcReceiver {

  static final String PROTOCOL = "otlp_grpc";
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new BytesMarshaller();
  private static final OtlpProtoDecoder DECODER = new OtlpProtoDecoder();

  private OtlpGrpcReceiver() {}

  /** The service definition to register with a gRPC server. */
  public static ServerServiceDefinition service(IngestGate gate) {
    MethodDescriptor<byte[], byte[]> export = TraceServiceGrpc.getExportMethod().toBuilder(
        BYTES, BYTES).build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall(
            (request, observer) -> export(gate, request, observer)))
        .build();
  }

  private static void export(IngestGate gate, byte[] request,
      StreamObserver<byte[]> observer) {
    DecodedBatch batch;
    try {
      batch = DECODER.decode(request);
    } catch (CodecException e) {
      gate.invalid(PROTOCOL, 0);
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
          .asRuntimeException());
      return;
    }
    if (batch.spans().isEmpty() && batch.rejectedSpans() > 0) {
      gate.invalid(PROTOCOL, batch.rejectedSpans());
      observer.onError(Status.INVALID_ARGUMENT.withDescription(batch.errorMessage())
          .asRuntimeException());
      return;
    }
    gate.submit(PROTOCOL, batch, request.length).thenAccept(outcome -> {
      switch (outcome.kind()) {
        case STORED -> {
          ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
          if (outcome.rejectedSpans() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(outcome.rejectedSpans())
                .setErrorMessage(outcome.message() == null ? "" : outcome.message()));
          }
          observer.onNext(response.build().toByteArray());
          observer.onCompleted();
        }
        case LIMITED -> observer.onError(Status.INVALID_ARGUMENT
            .withDescription(outcome.message()).asRuntimeException());
        case OVERLOADED -> observer.onError(retryLater(Code.RESOURCE_EXHAUSTED,
            RetryDelays.OVERLOADED, outcome.message()));
        case STORE_FAILED -> observer.onError(retryLater(Code.UNAVAILABLE,
            RetryDelays.STORE_FAILED, outcome.message()));
      }
    });
  }

  /**
   * A refusal carrying {@code google.rpc.RetryInfo}: the OTLP spec makes RESOURCE_EXHAUSTED
   * retryable only when the server says when to retry, and exporters honour the delay.
   */
  private static StatusRuntimeException retryLater(Code code, Duration delay, String message) {
    RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(
        com.google.protobuf.Duration.newBuilder().setSeconds(delay.toSeconds())).build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message).addDetails(Any.pack(retry)).build());
  }

  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("reading the request failed").withCause(e)
            .asRuntimeException();
      }
    }
  }
}
