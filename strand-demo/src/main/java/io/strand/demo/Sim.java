package io.strand.demo;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.common.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Shared simulation state: the seeded random source and the simulated clock.
 *
 * <p>All randomness flows through one {@link Random} so that a seed reproduces the same sequence of
 * requests, durations and failures (span and trace ids still come from the SDK and differ).
 */
final class Sim {
  private static final String POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final String HEX = "0123456789abcdef";

  private final Random random;
  private final SimClock clock;

  Sim(long seed, SimClock clock) {
    this.random = new Random(seed);
    this.clock = clock;
  }

  SimClock clock() {
    return clock;
  }

  /** Wall-clock "now" in epoch nanoseconds; every trace starts here so it is stamped live. */
  long wallClockNanos() {
    return Clock.getDefault().now();
  }

  /** True with probability {@code p}. */
  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  double uniform() {
    return random.nextDouble();
  }

  /** Uniform integer in {@code [lo, hi]}. */
  int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  /** Uniform duration in {@code [loMillis, hiMillis)}, as nanoseconds. */
  long millis(double loMillis, double hiMillis) {
    return toNanos(loMillis + random.nextDouble() * (hiMillis - loMillis));
  }

  /**
   * Log-normal duration around {@code medianMillis}, as nanoseconds. Real latencies are
   * right-skewed, so this gives the usual long tail without extra modelling.
   */
  long latency(double medianMillis, double sigma) {
    return toNanos(medianMillis * Math.exp(sigma * random.nextGaussian()));
  }

  /** One network traversal inside a cluster: a few hundred microseconds. */
  long networkHop() {
    return latency(0.4, 0.5);
  }

  @SafeVarargs
  final <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  String hex(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(HEX.charAt(random.nextInt(16)));
    }
    return sb.toString();
  }

  /** A Kubernetes-style pod name, e.g. {@code checkout-7d9f8b6c4-x2lqz}. */
  String podName(String deployment) {
    return deployment + "-" + podChars(9) + "-" + podChars(5);
  }

  /** A private cluster address such as {@code 10.42.3.17}. */
  String podIp() {
    return "10.42." + random.nextInt(16) + "." + between(2, 254);
  }

  /** A public-looking client address from documentation ranges (RFC 5737). */
  String publicIp() {
    return pick("192.0.2.", "198.51.100.", "203.0.113.") + between(1, 254);
  }

  /** An ephemeral source port. */
  long ephemeralPort() {
    return between(32768, 60999);
  }

  long nextLong() {
    return random.nextLong();
  }

  /**
   * Records an exception on {@code span} as if it happened at {@code atNanos}. The API has no
   * timestamp overload, so the simulated clock is moved first (see {@link SimClock}).
   */
  void recordException(Span span, Throwable error, long atNanos) {
    clock.set(atNanos);
    span.recordException(error);
  }

  private String podChars(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(POD_ALPHABET.charAt(random.nextInt(POD_ALPHABET.length())));
    }
    return sb.toString();
  }

  private static long toNanos(double millis) {
    return Math.max(1_000L, (long) (millis * TimeUnit.MILLISECONDS.toNanos(1)));
  }
}
