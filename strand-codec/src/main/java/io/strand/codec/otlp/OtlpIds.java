package io.strand.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.strand.model.SpanId;
import io.strand.model.TraceId;

/**
 * Validation and conversion of OTLP ids: 16/8 raw bytes in protobuf, 32/16 hex digits in JSON.
 * Checks return an error message naming the field (or {@code null} when valid) so decoders can
 * reject one span and carry on without exceptions.
 */
final class OtlpIds {

  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private OtlpIds() {}

  /** Why {@code id} is not a valid id of {@code size} bytes, or {@code null} when it is. */
  static String checkBytes(ByteString id, int size, String field) {
    if (id.size() != size) {
      return field + " must be " + size + " bytes, got " + id.size();
    }
    return isValid(id, size) ? null : field + " must not be all zeros";
  }

  /** Whether {@code id} has {@code size} bytes, not all zero. */
  static boolean isValid(ByteString id, int size) {
    if (id.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }

  /** The big-endian long at byte offset {@code at}. */
  static long readLong(ByteString b, int at) {
    long v = 0;
    for (int i = at; i < at + 8; i++) {
      v = (v << 8) | (b.byteAt(i) & 0xffL);
    }
    return v;
  }

  /**
   * Why {@code len} chars at {@code off} are not a valid hex id of {@code digits} digits, or
   * {@code null} when they are.
   */
  static String checkHex(char[] c, int off, int len, int digits, String field) {
    if (len != digits) {
      return field + " must be " + digits + " hex digits, got " + len + " characters";
    }
    boolean zero = true;
    for (int i = 0; i < len; i++) {
      char ch = c[off + i];
      int d = hexDigit(ch);
      if (d < 0) {
        return field + " has a non-hex character '" + ch + "' at position " + i;
      }
      zero &= d == 0;
    }
    return zero ? field + " must not be all zeros" : null;
  }

  /** Parses 16 hex digits that {@link #checkHex} accepted. */
  static long hexLong(char[] c, int off) {
    long v = 0;
    for (int i = off; i < off + 16; i++) {
      v = (v << 4) | hexDigit(c[i]);
    }
    return v;
  }

  /** The value of an ASCII hex digit of either case, or -1. */
  private static int hexDigit(char ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return -1;
  }

  /** Writes 16 lower-case hex digits of {@code v} at {@code at}. */
  static void writeHex(char[] out, int at, long v) {
    for (int i = at + 15; i >= at; i--) {
      out[i] = DIGITS[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /** The 16-byte protobuf form of a trace id. */
  static ByteString traceIdBytes(TraceId id) {
    return UnsafeByteOperations.unsafeWrap(id.toBytes());
  }

  /** The 8-byte protobuf form of a span id; empty for {@link SpanId#NONE}. */
  static ByteString spanIdBytes(long id) {
    return id == SpanId.NONE
        ? ByteString.EMPTY
        : UnsafeByteOperations.unsafeWrap(SpanId.toBytes(id));
  }
}
