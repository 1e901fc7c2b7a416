package io.strand.storage.rocksdb;

import java.util.Arrays;
import java.util.PriorityQueue;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Posting lists ({@code 0x0B}): the start refs of one term in one window of write batches. A
 * ref is a millisecond bucket of start and the first byte of a trace id, packed as {@code bucket
 * << 8 | byte} (see {@link #ref}); it stands for the spans of the time index in that bucket
 * whose trace id starts with that byte (see {@link RefCursor}).
 *
 * <pre>
 * key   := 0x0B | term | maxBucket(8) | window(8)
 * value := group* (newest bucket first)
 * group := uvarint((previous bucket - bucket) &lt;&lt; 1 | several) [uvarint(n)] byte{n, or 1}
 * </pre>
 *
 * The first group's bucket is the key's {@code maxBucket}, so its delta is 0. Trace-id bytes of
 * one group are ascending. The key names the newest bucket so that a term's postings can be
 * walked newest first and merged (see {@link Merge}): windows overlap in start time, since
 * spans arrive late.
 */
final class Postings {

  private Postings() {}

  /**
   * The bucket of {@code startNanos} and the first byte of the trace id in one long. Buckets are
   * milliseconds, so they need at most 44 bits plus a sign, and shifting them left by 8 loses
   * nothing; refs order as (bucket, byte).
   */
  static long ref(long startNanos, long traceIdHigh) {
    return (bucket(startNanos) << 8) | (traceIdHigh >>> 56);
  }

  /** The bucket of a start. */
  static long bucket(long startNanos) {
    return Math.floorDiv(startNanos, Keys.REF_BUCKET_NANOS);
  }

  static long bucketOf(long ref) {
    return ref >> 8;
  }

  /**
   * Encodes {@code refs[from, to)}, which must be sorted ascending and distinct, as a posting
   * value (newest bucket first) into {@code out} from {@code at}; returns the offset after it.
   * {@code out} needs at most {@link #maxBytes} bytes from {@code at}. The posting's key names
   * {@code bucketOf(refs[to - 1])}.
   */
  static int encode(long[] refs, int from, int to, byte[] out, int at) {
    long previous = bucketOf(refs[to - 1]);
    int end = to;
    while (end > from) {
      long bucket = bucketOf(refs[end - 1]);
      int start = end - 1;
      while (start > from && bucketOf(refs[start - 1]) == bucket) {
        start--;
      }
      int n = end - start;
      at = putVarint(out, at, ((previous - bucket) << 1) | (n > 1 ? 1 : 0));
      if (n > 1) {
        at = putVarint(out, at, n);
      }
      for (int k = start; k < end; k++) {
        out[at++] = (byte) refs[k];
      }
      previous = bucket;
      end = start;
    }
    return at;
  }

  /** An upper bound of the bytes {@link #encode} writes for {@code n} refs. */
  static int maxBytes(int n) {
    return n * 12;
  }

  private static int putVarint(byte[] b, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      b[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[at++] = (byte) v;
    return at;
  }

  /** The refs of a term, newest bucket first, one bucket (with its trace-id bytes) at a time. */
  abstract static class Stream {
    /** The current bucket; valid while the stream is. */
    long bucket;

    /** Adds the current bucket's trace-id bytes to a 256-bit set. */
    abstract void addBytes(long[] set);

    /** Moves to the next (older) bucket; false when there is none. */
    abstract boolean advance();

    /** Moves to the first bucket at or below {@code max}; false when there is none. */
    final boolean skipAbove(long max) {
      while (bucket > max) {
        if (!advance()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Reads one posting value; starts at its first group. */
  static final class Reader extends Stream {
    private final byte[] v;
    private int pos;
    private int bytesAt;
    private int count;

    /** A reader at the first group, or null for an empty (corrupt) value. */
    static Reader of(byte[] value, long maxBucket) {
      Reader r = new Reader(value, maxBucket);
      return r.parse() ? r : null;
    }

    private Reader(byte[] value, long maxBucket) {
      this.v = value;
      this.bucket = maxBucket;
    }

    private boolean parse() {
      if (pos >= v.length) {
        return false;
      }
      long head = readVarint();
      bucket -= head >>> 1;
      count = (head & 1) != 0 ? (int) readVarint() : 1;
      bytesAt = pos;
      pos += count;
      if (pos > v.length || count < 1) {
        throw new IllegalArgumentException("corrupt posting: truncated at byte " + bytesAt);
      }
      return true;
    }

    private long readVarint() {
      long x = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= v.length) {
          throw new IllegalArgumentException("corrupt posting: truncated varint");
        }
        byte b = v[pos++];
        x |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return x;
        }
      }
      throw new IllegalArgumentException("corrupt posting: varint too long");
    }

    @Override
    void addBytes(long[] set) {
      for (int i = bytesAt; i < bytesAt + count; i++) {
        int b = v[i] & 0xFF;
        set[b >>> 6] |= 1L << b;
      }
    }

    @Override
    boolean advance() {
      return parse();
    }
  }

  /** Refs held in memory, sorted ascending, walked from the end. */
  static final class ArrayStream extends Stream {
    private final long[] refs;
    /** One past the current bucket's last ref. */
    private int end;
    /** The current bucket's first ref. */
    private int start;

    /** A stream at the newest bucket, or null when there are no refs. */
    static ArrayStream of(long[] ascending, int n) {
      if (n == 0) {
        return null;
      }
      ArrayStream s = new ArrayStream(ascending, n);
      s.group();
      return s;
    }

    private ArrayStream(long[] refs, int n) {
      this.refs = refs;
      this.end = n;
    }

    private void group() {
      bucket = bucketOf(refs[end - 1]);
      start = end - 1;
      while (start > 0 && bucketOf(refs[start - 1]) == bucket) {
        start--;
      }
    }

    @Override
    void addBytes(long[] set) {
      for (int i = start; i < end; i++) {
        int b = (int) (refs[i] & 0xFF);
        set[b >>> 6] |= 1L << b;
      }
    }

    @Override
    boolean advance() {
      end = start;
      if (end == 0) {
        return false;
      }
      group();
      return true;
    }
  }

  /**
   * Merges a term's postings in one partition (walked backwards by an iterator over {@code
   * 0x0B | term}, newest {@code maxBucket} first) and its refs still in memory into one walk
   * over buckets, newest first, within {@code [minBucket, maxBucket]}. A posting is opened only
   * once the walk reaches its newest bucket, so a search with a small limit reads few.
   */
  static final class Merge {
    private final RocksIterator postings;
    private final int prefixLength;
    private final long minBucket;
    private final long maxBucket;
    private final PriorityQueue<Stream> open =
        new PriorityQueue<>((a, b) -> Long.compare(b.bucket, a.bucket));
    /** The current bucket. */
    long bucket;
    /** The current bucket's trace-id first bytes, as a 256-bit set. */
    final long[] traceIdBytes = new long[4];
    /** How many refs the current bucket has (distinct trace-id bytes). */
    int refs;

    /**
     * @param postings an iterator over the term's postings, positioned at the last one (or
     *     invalid when there are none); the caller owns and closes it
     * @param memory the refs in memory, ascending, or null
     */
    Merge(RocksIterator postings, int prefixLength, long[] memory, long minBucket,
        long maxBucket) {
      this.postings = postings;
      this.prefixLength = prefixLength;
      this.minBucket = minBucket;
      this.maxBucket = maxBucket;
      if (memory != null) {
        push(ArrayStream.of(memory, memory.length));
      }
    }

    private void push(Stream s) {
      if (s != null && s.skipAbove(maxBucket) && s.bucket >= minBucket) {
        open.add(s);
      }
    }

    /** Moves to the next older bucket holding refs; false when there is none. */
    boolean next() throws RocksDBException {
      while (postings.isValid()) {
        long newest = Keys.postingMaxBucket(postings.key(), prefixLength);
        if (!open.isEmpty() && newest < open.peek().bucket) {
          break;
        }
        push(Reader.of(postings.value(), newest));
        postings.prev();
      }
      postings.status();
      if (open.isEmpty()) {
        return false;
      }
      bucket = open.peek().bucket;
      Arrays.fill(traceIdBytes, 0);
      while (!open.isEmpty() && open.peek().bucket == bucket) {
        Stream s = open.poll();
        s.addBytes(traceIdBytes);
        if (s.advance() && s.bucket >= minBucket) {
          open.add(s);
        }
      }
      refs = Long.bitCount(traceIdBytes[0]) + Long.bitCount(traceIdBytes[1])
          + Long.bitCount(traceIdBytes[2]) + Long.bitCount(traceIdBytes[3]);
      return true;
    }
  }
}
