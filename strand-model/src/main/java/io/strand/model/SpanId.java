package io.strand.model;

/**
 * Helpers for 64-bit span ids, which the model carries as primitive {@code long}s to avoid an
 * object per span. Zero means "no span" (for example, no parent).
 */
public final class SpanId {

  /** The value that means "absent". */
  public static final long NONE = 0L;

  private SpanId() {}

  /**
   * Parses 16 hex digits.
   *
   * @param field the field name used in the error message
   * @throws IllegalArgumentException naming the field when the text is not a valid non-zero id
   */
  public static long fromHex(CharSequence hex, String field) {
    if (hex.length() != 16) {
      throw new IllegalArgumentException(
          field + " must be 16 hex digits, got " + hex.length() + " characters");
    }
    long id = Hex.parseLong(hex, 0, field);
    if (id == 0) {
      throw new IllegalArgumentException(field + " must not be all zeros");
    }
    return id;
  }

  /**
   * Reads an 8-byte big-endian id as carried by OTLP protobuf.
   *
   * @param field the field name used in the error message
   * @throws IllegalArgumentException naming the field when the length is wrong or the id is zero
   */
  public static long fromBytes(byte[] bytes, String field) {
    if (bytes.length != 8) {
      throw new IllegalArgumentException(field + " must be 8 bytes, got " + bytes.length);
    }
    long id = Bytes.getLong(bytes, 0);
    if (id == 0) {
      throw new IllegalArgumentException(field + " must not be all zeros");
    }
    return id;
  }

  /** The 8-byte big-endian form. */
  public static byte[] toBytes(long id) {
    byte[] out = new byte[8];
    Bytes.putLong(out, 0, id);
    return out;
  }

  /** 16 lower-case hex digits. */
  public static String toHex(long id) {
    char[] out = new char[16];
    Hex.writeLong(out, 0, id);
    return new String(out);
  }
}
