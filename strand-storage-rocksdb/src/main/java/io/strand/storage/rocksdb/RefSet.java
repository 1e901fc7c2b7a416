package io.strand.storage.rocksdb;

/**
 * The attribute index entries of one batch, as pairs of a term's number in the batch and a
 * {@link #ref} (bucket and first trace-id byte), so that each entry is written once however
 * many spans of the batch it stands for. An open-addressing hash set without boxing. Not
 * thread-safe.
 */
final class RefSet {

  /** Term numbers plus one; 0 marks a free slot. */
  private int[] terms;
  private long[] refs;
  private int size;

  /** A set sized for about {@code expected} entries (it grows past them). */
  RefSet(int expected) {
    int capacity = Integer.highestOneBit(Math.clamp(expected, 256, 1 << 24) * 2 - 1) << 1;
    terms = new int[capacity];
    refs = new long[capacity];
  }

  /**
   * The bucket of {@code startNanos} and the first byte of the trace id, as {@link
   * Keys#startRef} writes them, in one long. Buckets are milliseconds, so they need at most 44
   * bits plus a sign, and shifting them left by 8 loses nothing.
   */
  static long ref(long startNanos, long traceIdHigh) {
    return (Math.floorDiv(startNanos, Keys.REF_BUCKET_NANOS) << 8) | (traceIdHigh >>> 56);
  }

  /** Adds the entry of term {@code term} (0 or more) and {@code ref}; false if already held. */
  boolean add(int term, long ref) {
    int mask = terms.length - 1;
    int i = mix(term, ref) & mask;
    while (terms[i] != 0) {
      if (terms[i] == term + 1 && refs[i] == ref) {
        return false;
      }
      i = (i + 1) & mask;
    }
    terms[i] = term + 1;
    refs[i] = ref;
    if (++size * 2 > terms.length) {
      grow();
    }
    return true;
  }

  private void grow() {
    int[] oldTerms = terms;
    long[] oldRefs = refs;
    terms = new int[oldTerms.length * 2];
    refs = new long[oldTerms.length * 2];
    int mask = terms.length - 1;
    for (int j = 0; j < oldTerms.length; j++) {
      if (oldTerms[j] != 0) {
        int i = mix(oldTerms[j] - 1, oldRefs[j]) & mask;
        while (terms[i] != 0) {
          i = (i + 1) & mask;
        }
        terms[i] = oldTerms[j];
        refs[i] = oldRefs[j];
      }
    }
  }

  private static int mix(int term, long ref) {
    long h = (ref ^ ((long) term * 0x9E3779B97F4A7C15L)) * 0xff51afd7ed558ccdL;
    return (int) (h ^ (h >>> 32));
  }
}
