package io.strand.server;

import com.linecorp.armeria.common.RequestContext;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Arrays;
import java.util.zip.ZipException;

/** Gives gRPC messages that cannot be read a clear INVALID_ARGUMENT instead of a bare error. */
final class GrpcDeframingErrors {

  private GrpcDeframingErrors() {}

/**
 * INVALID_ARGUMENT for a gRPC message that Armeria's deframer cannot read, which Armeria would
 * answer with UNKNOWN and no message (gzip that does not inflate, a message shorter than its
 * length prefix) or with INTERNAL (compressed with an encoding it does not know). The size
 * limit's RESOURCE_EXHAUSTED and every other error keep Armeria's mapping.
 */
static Status unreadableGrpcMessage(RequestContext ctx, Status status, Throwable cause,
    Metadata metadata) {
  boolean deframing = Arrays.stream(cause.getStackTrace()).limit(5)
      .anyMatch(frame -> frame.getClassName().contains("Deframer"));
  if (!deframing
      || (status.getCode() != Status.Code.UNKNOWN && status.getCode() != Status.Code.INTERNAL)) {
    return null;
  }
  String why;
  if (cause instanceof IndexOutOfBoundsException) {
    why = "gRPC message is shorter than its length prefix";
  } else if (cause.getCause() instanceof ZipException zip) {
    why = "gRPC message is not valid gzip: " + zip.getMessage();
  } else {
    why = status.getDescription() != null ? status.getDescription() : cause.toString();
  }
  return Status.INVALID_ARGUMENT.withDescription(why);
}
}
