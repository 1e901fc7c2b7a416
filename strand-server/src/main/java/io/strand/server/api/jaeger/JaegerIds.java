package io.strand.server.api.jaeger;

import io.strand.model.TraceId;

/**
 * Trace ids as Jaeger writes and reads them: 32 hex digits, or 16 when the high half is zero (a
 * 64-bit id); reading accepts any 1 to 32 hex digits, left-padded with zeros, as Jaeger does.
 */
final class JaegerIds {

  private JaegerIds() {}

  /** Jaeger's text form of {@code id}. */
  static String toText(TraceId id) {
    String hex = id.toHex();
    return id.high() == 0 ? hex.substring(16) : hex;
  }

  /**
   * Parses a Jaeger trace id.
   *
   * @throws IllegalArgumentException naming the problem
   */
  static TraceId parse(String text) {
    if (text.isEmpty() || text.length() > 32) {
      throw new IllegalArgumentException(
          "trace id must be 1 to 32 hex digits, got " + text.length() + " characters");
    }
    return TraceId.fromHex("0".repeat(32 - text.length()) + text);
  }
}
