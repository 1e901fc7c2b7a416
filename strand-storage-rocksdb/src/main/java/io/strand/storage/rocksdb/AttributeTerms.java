package io.strand.storage.rocksdb;

import java.util.Arrays;

/**
 * The terms the attribute indexes are keyed by: {@code tag | key | 0x00 | value | 0x00}, with
 * the value as {@link io.strand.model.AttributeValue#asText()} renders it, the form {@link
 * io.strand.storage.TraceQuery} compares. A stored attribute and an equality criterion map to
 * the same term by the same function, so every attribute of every kind is indexed and every
 * criterion can be looked up.
 *
 * <p>A key or value longer than {@value #MAX_TEXT_BYTES} key bytes is replaced by {@code 0xFF}
 * and a 64-bit hash of it. Such values are mostly unique (statements, full URLs, payloads), and
 * a unique value costs its whole length in every entry of its run, since nothing is shared with
 * the neighbours; the hash bounds that to 9 bytes. {@code 0xFF} never occurs in UTF-8, so a
 * hashed part never equals or prefixes a plain one, and hashed parts all have one length, so
 * terms stay prefix-free. Two texts with one hash share a run; the query's predicate tells them
 * apart.
 */
final class AttributeTerms {

  /** Longest key or value kept as text in a term (in key bytes); longer ones are hashed. */
  static final int MAX_TEXT_BYTES = 64;

  private static final byte HASHED = (byte) 0xFF;

  /**
   * An attribute's term, equal to another with the same key and bytes. Two long values with one hash
   * share a run, and the predicate parts them. The hash is computed once: writers look terms up
   * in hash maps for every span attribute.
   */
  static final class Term {
    private final String key;
    private final byte[] bytes;
    private final int hash;

    /**
     * @param key the attribute key
     * @param bytes {@code tag | key | 0x00 | value | 0x00}, parts hashed where long; not modified
     */
    Term(String key, byte[] bytes) {
      this.key = key;
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    /** The attribute key. */
    String key() {
      return key;
    }

    /** The term's key bytes; callers must not modify them. */
    byte[] bytes() {
      return bytes;
    }

    /** The same term under another table tag. */
    byte[] as(byte tag) {
      byte[] k = bytes.clone();
      k[0] = tag;
      return k;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Term t && t.hash == hash && Arrays.equals(t.bytes, bytes)
          && t.key.equals(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Term[" + key + "]";
    }
  }

  private AttributeTerms() {}

  /** The term of {@code key = text} under the table {@code tag}. */
  static Term of(byte tag, String key, String text) {
    return new Term(key, Keys.named(tag, part(key), part(text)));
  }

  /** The key bytes of {@code s}, or {@code 0xFF | hash} when they are too long. */
  private static byte[] part(String s) {
    // A string has at least as many key bytes as chars: skip encoding where that decides.
    byte[] bytes = s.length() > MAX_TEXT_BYTES ? null : Text.keyBytes(s);
    if (bytes != null && bytes.length <= MAX_TEXT_BYTES) {
      return bytes;
    }
    byte[] hashed = new byte[9];
    hashed[0] = HASHED;
    Keys.putLong(hashed, 1, hash(bytes != null ? bytes : Text.keyBytes(s)));
    return hashed;
  }

  /** FNV-1a over the bytes, then MurmurHash3's finalizer to spread the bits. */
  static long hash(byte[] bytes) {
    long h = 0xcbf29ce484222325L;
    for (byte b : bytes) {
      h = (h ^ (b & 0xFF)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe53a87cdL;
    return h ^ (h >>> 33);
  }
}
