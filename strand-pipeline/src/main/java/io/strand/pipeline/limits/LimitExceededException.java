package io.strand.pipeline.limits;

/** A request refused whole because it is over a limit; the message names the limit's key. */
public final class LimitExceededException extends RuntimeException {
  private final Limit limit;

  LimitExceededException(Limit limit, String message) {
    super(message, null, false, false);
    this.limit = limit;
  }

  /** The limit that was exceeded. */
  public Limit limit() {
    return limit;
  }
}
