package io.strand.demo;

/** Thrown (and recorded on spans) when a third-party API answers 429 Too Many Requests. */
final class RateLimitedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RateLimitedException(String message) {
    super(message);
  }
}
