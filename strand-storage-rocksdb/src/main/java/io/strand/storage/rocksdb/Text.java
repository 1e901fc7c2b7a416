package io.strand.storage.rocksdb;

import java.nio.charset.StandardCharsets;

/**
 * String bytes for values and keys: UTF-8 for every well-formed string, extended so that any Java
 * string round-trips exactly.
 *
 * <ul>
 *   <li>A lone surrogate (legal in a Java string, not in Unicode text) is written as its 3-byte
 *       pattern, as WTF-8 does, instead of being replaced by {@code '?'} as {@link
 *       String#getBytes} would.
 *   <li>In keys ({@code nulSafe}), U+0000 is written as {@code C0 80}, as in Java's modified
 *       UTF-8, so a name never contains the {@code 0x00} byte that terminates it in a key.
 * </ul>
 */
final class Text {

  private Text() {}

  /** Bytes {@link #encode} writes for {@code s}. */
  static int encodedLength(String s, boolean nulSafe) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          len += 2; // two chars, four bytes
          i++;
        } else {
          len += 2;
        }
      } else if (c == 0 && nulSafe) {
        len += 1;
      }
    }
    return len;
  }

  /** Writes {@code s} at {@code off}; returns the offset after it. */
  static int encode(String s, byte[] dst, int off, boolean nulSafe) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80 && (c != 0 || !nulSafe)) {
        dst[off++] = (byte) c;
      } else if (c < 0x800) {
        dst[off++] = (byte) (0xC0 | (c >> 6));
        dst[off++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[off++] = (byte) (0xF0 | (cp >> 18));
        dst[off++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        dst[off++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        dst[off++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        dst[off++] = (byte) (0xE0 | (c >> 12));
        dst[off++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[off++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return off;
  }

  /** {@code s} as key bytes: no {@code 0x00} inside. */
  static byte[] keyBytes(String s) {
    byte[] out = new byte[encodedLength(s, true)];
    encode(s, out, 0, true);
    return out;
  }

  /**
   * Reads {@code len} bytes written by {@link #encode} (either mode).
   *
   * @throws IllegalArgumentException when the bytes are not such an encoding
   */
  static String decode(byte[] src, int off, int len) {
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (src[i] < 0) {
        return decodeSlow(src, off, end);
      }
    }
    // Pure ASCII: Latin-1 decoding is a straight copy into a compact string.
    return new String(src, off, len, StandardCharsets.ISO_8859_1);
  }

  private static String decodeSlow(byte[] src, int i, int end) {
    char[] out = new char[end - i];
    int n = 0;
    while (i < end) {
      int b = src[i++] & 0xFF;
      if (b < 0x80) {
        out[n++] = (char) b;
      } else if ((b & 0xE0) == 0xC0) {
        need(i, 1, end);
        out[n++] = (char) (((b & 0x1F) << 6) | (src[i++] & 0x3F));
      } else if ((b & 0xF0) == 0xE0) {
        need(i, 2, end);
        out[n++] = (char) (((b & 0x0F) << 12) | ((src[i] & 0x3F) << 6) | (src[i + 1] & 0x3F));
        i += 2;
      } else if ((b & 0xF8) == 0xF0) {
        need(i, 3, end);
        int cp = ((b & 0x07) << 18) | ((src[i] & 0x3F) << 12) | ((src[i + 1] & 0x3F) << 6)
            | (src[i + 2] & 0x3F);
        i += 3;
        if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT || cp > Character.MAX_CODE_POINT) {
          throw new IllegalArgumentException("corrupt string: code point " + cp);
        }
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
      } else {
        throw new IllegalArgumentException("corrupt string: unexpected byte 0x"
            + Integer.toHexString(b));
      }
    }
    return new String(out, 0, n);
  }

  private static void need(int i, int n, int end) {
    if (i + n > end) {
      throw new IllegalArgumentException("corrupt string: truncated character");
    }
  }
}
