package io.strand.model;

/** Lower-case hex encoding of ids without intermediate objects. */
final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  static long parseLong(CharSequence s, int from, String field) {
    long v = 0;
    for (int i = from; i < from + 16; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException(
            field + " has a non-hex character '" + s.charAt(i) + "' at position " + i);
      }
      v = (v << 4) | d;
    }
    return v;
  }

  static void writeLong(char[] out, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = DIGITS[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
