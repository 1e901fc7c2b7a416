package io.strand.model;

/**
 * A 128-bit trace id. All-zero ids are invalid in OTLP and W3C trace context, so they cannot be
 * constructed here.
 *
 * @param high the most significant 64 bits
 * @param low the least significant 64 bits
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

  /** Rejects the all-zero id. */
  public TraceId {
    if (high == 0 && low == 0) {
      throw new IllegalArgumentException("trace id must not be all zeros");
    }
  }

  /**
   * Parses 32 hex digits, or 16 (a 64-bit Zipkin id, widened with zero high bits).
   *
   * @throws IllegalArgumentException naming the problem when the text is not a valid id
   */
  public static TraceId fromHex(CharSequence hex) {
    int len = hex.length();
    if (len == 32) {
      return new TraceId(Hex.parseLong(hex, 0, "trace id"), Hex.parseLong(hex, 16, "trace id"));
    }
    if (len == 16) {
      return new TraceId(0, Hex.parseLong(hex, 0, "trace id"));
    }
    throw new IllegalArgumentException(
        "trace id must be 32 hex digits (or 16 for a 64-bit id), got " + len + " characters");
  }

  /**
   * Reads a 16-byte big-endian id, as carried by OTLP protobuf.
   *
   * @throws IllegalArgumentException when the length is not 16 or the id is all zeros
   */
  public static TraceId fromBytes(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException(
          "trace id must be 16 bytes, got " + bytes.length);
    }
    return new TraceId(Bytes.getLong(bytes, 0), Bytes.getLong(bytes, 8));
  }

  /** The 16-byte big-endian form. */
  public byte[] toBytes() {
    byte[] out = new byte[16];
    Bytes.putLong(out, 0, high);
    Bytes.putLong(out, 8, low);
    return out;
  }

  /** 32 lower-case hex digits. */
  public String toHex() {
    char[] out = new char[32];
    Hex.writeLong(out, 0, high);
    Hex.writeLong(out, 16, low);
    return new String(out);
  }

  @Override
  public int compareTo(TraceId o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
