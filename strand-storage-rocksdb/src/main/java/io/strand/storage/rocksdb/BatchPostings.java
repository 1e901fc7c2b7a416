package io.strand.storage.rocksdb;

import java.util.Arrays;

/**
 * The postings of one write batch, in memory until its window is written ({@link
 * PendingPostings}): for each term of the batch, its start refs (ascending, distinct), terms
 * sorted by hash ({@link Arrays#hashCode(byte[])}). Immutable and flat (a few arrays rather than
 * objects per term): a window holds a few hundred thousand terms. Merging them into one map as
 * batches arrive cost writers more than anything else in the index (a cache miss or more per
 * term), and so did grouping them in a random order later; sorted by hash, the window merges its
 * batches' terms walking each batch's arrays in order.
 */
final class BatchPostings {

  /** The batch's number in its partition (see {@link Keys#pending}). */
  final long batch;
  /** Spans the batch wrote. */
  final int spans;
  /** Every term's bytes, back to back. */
  private final byte[] terms;
  /** The end of each term in {@link #terms}. */
  private final int[] termEnds;
  /** Each term's hash, {@link Arrays#hashCode(byte[])} of its bytes. */
  private final int[] hashes;
  /** Every term's refs, ascending, back to back. */
  private final long[] refs;
  /** The end of each term's refs in {@link #refs}. */
  private final int[] refEnds;

  private BatchPostings(long batch, int spans, byte[] terms, int[] termEnds, int[] hashes,
      long[] refs, int[] refEnds) {
    this.batch = batch;
    this.spans = spans;
    this.terms = terms;
    this.termEnds = termEnds;
    this.hashes = hashes;
    this.refs = refs;
    this.refEnds = refEnds;
  }

  int termCount() {
    return termEnds.length;
  }

  int termStart(int i) {
    return i == 0 ? 0 : termEnds[i - 1];
  }

  int termEnd(int i) {
    return termEnds[i];
  }

  int hash(int i) {
    return hashes[i];
  }

  byte[] termBytes() {
    return terms;
  }

  int refStart(int i) {
    return i == 0 ? 0 : refEnds[i - 1];
  }

  int refEnd(int i) {
    return refEnds[i];
  }

  long[] refArray() {
    return refs;
  }

  /** Heap bytes held, roughly. */
  long bytes() {
    return 96 + terms.length + 8L * refs.length + 12L * termEnds.length;
  }

  /** Whether terms {@code t} of this batch and {@code u} of {@code other} are equal. */
  boolean sameTerm(int t, BatchPostings other, int u) {
    return Arrays.equals(terms, termStart(t), termEnd(t), other.terms, other.termStart(u),
        other.termEnd(u));
  }

  /** The index of {@code term}, whose {@link Arrays#hashCode(byte[])} is {@code hash}, or -1. */
  int find(byte[] term, int hash) {
    int t = Arrays.binarySearch(hashes, hash);
    if (t < 0) {
      return -1;
    }
    while (t > 0 && hashes[t - 1] == hash) {
      t--;
    }
    for (; t < hashes.length && hashes[t] == hash; t++) {
      if (Arrays.equals(terms, termStart(t), termEnd(t), term, 0, term.length)) {
        return t;
      }
    }
    return -1;
  }

  /** Builds the postings of one batch. Not thread-safe. */
  static final class Builder {
    private byte[][] termsBySlot = new byte[256][];
    private int[] hashesBySlot = new int[256];
    private long[][] refsBySlot = new long[256][];
    private int[] sizes = new int[256];
    private int slots;

    /**
     * A new slot for a term whose {@link Arrays#hashCode(byte[])} is {@code hash}, numbered from
     * 0 in order of creation.
     */
    int slot(byte[] term, int hash) {
      if (slots == termsBySlot.length) {
        int n = slots * 2;
        termsBySlot = Arrays.copyOf(termsBySlot, n);
        hashesBySlot = Arrays.copyOf(hashesBySlot, n);
        refsBySlot = Arrays.copyOf(refsBySlot, n);
        sizes = Arrays.copyOf(sizes, n);
      }
      termsBySlot[slots] = term;
      hashesBySlot[slots] = hash;
      return slots++;
    }

    /** Adds a ref to a slot (repeats are dropped by {@link #build}). */
    void add(int slot, long ref) {
      long[] r = refsBySlot[slot];
      int n = sizes[slot];
      if (r == null) {
        r = new long[2];
        refsBySlot[slot] = r;
      } else if (r[n - 1] == ref) {
        return; // spans of one trace in one millisecond, the common repeat
      } else if (n == r.length) {
        r = Arrays.copyOf(r, n * 2);
        refsBySlot[slot] = r;
      }
      r[n] = ref;
      sizes[slot] = n + 1;
    }

    /**
     * The postings of the slots that got refs (terms sorted by hash, refs sorted and distinct),
     * as batch {@code batch}.
     */
    BatchPostings build(long batch, int spans) {
      int used = 0;
      int termBytes = 0;
      int refCount = 0;
      long[] order = new long[slots];
      for (int i = 0; i < slots; i++) {
        if (sizes[i] > 0) {
          order[used++] = ((long) hashesBySlot[i] << 32) | i;
          termBytes += termsBySlot[i].length;
          refCount += sizes[i];
        }
      }
      Arrays.sort(order, 0, used);
      byte[] terms = new byte[termBytes];
      int[] termEnds = new int[used];
      int[] hashes = new int[used];
      long[] refs = new long[refCount];
      int[] refEnds = new int[used];
      int t = 0;
      int r = 0;
      for (int u = 0; u < used; u++) {
        int slot = (int) order[u];
        int n = sizes[slot];
        byte[] term = termsBySlot[slot];
        System.arraycopy(term, 0, terms, t, term.length);
        t += term.length;
        termEnds[u] = t;
        hashes[u] = hashesBySlot[slot];
        long[] slotRefs = refsBySlot[slot];
        if (n > 1) {
          Arrays.sort(slotRefs, 0, n);
        }
        for (int k = 0; k < n; k++) {
          if (k == 0 || slotRefs[k] != slotRefs[k - 1]) {
            refs[r++] = slotRefs[k];
          }
        }
        refEnds[u] = r;
      }
      return new BatchPostings(batch, spans, terms, termEnds, hashes,
          r == refs.length ? refs : Arrays.copyOf(refs, r), refEnds);
    }
  }
}
