package io.strand.demo;

/**
 * The result of a simulated request as seen by whoever made it.
 *
 * @param endNanos epoch nanoseconds at which the response was complete
 * @param code HTTP status code, or gRPC status code for RPCs (0 = OK)
 * @param errorType low-cardinality error class for failures, {@code null} on success
 */
record Outcome(long endNanos, int code, String errorType) {

  static Outcome ok(long endNanos, int code) {
    return new Outcome(endNanos, code, null);
  }

  static Outcome failed(long endNanos, int code, String errorType) {
    return new Outcome(endNanos, code, errorType);
  }

  boolean isError() {
    return errorType != null;
  }

  Outcome endingAt(long newEndNanos) {
    return new Outcome(newEndNanos, code, errorType);
  }
}
