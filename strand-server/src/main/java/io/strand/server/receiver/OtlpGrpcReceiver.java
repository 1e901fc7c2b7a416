package io.strand.server.receiver;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.pipeline.SpanIngester;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * OTLP/gRPC {@code TraceService/Export}. The method is bound with a pass-through byte marshaller,
 * so gRPC still handles framing, compression and the message-size limit, while decoding happens
 * once, in Strand's decoder, and a malformed message is answered with INVALID_ARGUMENT and the
 * decoder's message rather than a generic INTERNAL.
 */
public final class OtlpGrpcReceiver {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new BytesMarshaller();
  private static final OtlpProtoDecoder DECODER = new OtlpProtoDecoder();

  private OtlpGrpcReceiver() {}

  /** The service definition to register with a gRPC server. */
  public static ServerServiceDefinition service(SpanIngester ingester) {
    MethodDescriptor<byte[], byte[]> export = TraceServiceGrpc.getExportMethod().toBuilder(
        BYTES, BYTES).build();
    return ServerServiceDefinition.builder(TraceServiceGrpc.SERVICE_NAME)
        .addMethod(export, ServerCalls.asyncUnaryCall(
            (request, observer) -> export(ingester, request, observer)))
        .build();
  }

  private static void export(SpanIngester ingester, byte[] request,
      StreamObserver<byte[]> observer) {
    DecodedBatch batch;
    try {
      batch = DECODER.decode(request);
    } catch (CodecException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
          .asRuntimeException());
      return;
    }
    if (batch.spans().isEmpty() && batch.rejectedSpans() > 0) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(batch.errorMessage())
          .asRuntimeException());
      return;
    }
    IngestOutcome.ingest(ingester, batch).thenAccept(outcome -> {
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
        case OVERLOADED -> observer.onError(Status.RESOURCE_EXHAUSTED
            .withDescription(outcome.message()).asRuntimeException());
        case STORE_FAILED -> observer.onError(Status.UNAVAILABLE
            .withDescription(outcome.message()).asRuntimeException());
      }
    });
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
