package io.strand.server.receiver;

import java.time.Duration;

/**
 * How long senders are told to wait before retrying a refused export: a full queue drains within
 * about a second, a failing store (disk full) needs longer, and asking for more keeps a crowd of
 * retrying exporters from hammering it.
 */
final class RetryDelays {
  static final Duration OVERLOADED = Duration.ofSeconds(1);
  static final Duration STORE_FAILED = Duration.ofSeconds(5);

  private RetryDelays() {}

  /** The HTTP {@code Retry-After} value, in whole seconds. */
  static String retryAfter(Duration delay) {
    return Long.toString(delay.toSeconds());
  }
}
