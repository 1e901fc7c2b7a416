package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import java.util.Arrays;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Walks the spans a run of start refs points to, latest start first. A ref (a millisecond
 * bucket of start and a trace id's first byte) stands for the spans the time index holds in
 * that bucket whose trace id starts with that byte: all of them are candidates, and the query's
 * predicate later tells which carried the term. The refs of one bucket are gathered first (from
 * postings, see {@link Postings.Merge}, or from the per-span attribute entries of earlier
 * versions, {@code 0x07}), then the bucket's part of the time index is walked backwards, so
 * spans come out latest start first, as the merge needs.
 */
final class RefCursor extends SpanCursor {

  /**
   * Entries of the time index stepped over, at most, to reach the next bucket before seeking
   * instead: a bucket a few entries back (a service's postings name most buckets) is cheaper to
   * walk to than to seek.
   */
  private static final int MAX_STEPS = 16;

  private final long minStart;
  private final long maxStart;
  private final Bounds timeBounds;
  private final RocksIterator time;
  /** Postings and refs in memory, merged; null for {@code 0x07} entries. */
  private final Postings.Merge postings;
  /** The current bucket's trace id first bytes, as a 256-bit set. */
  private final long[] traceIdBytes;
  /** Earliest start of the current bucket within the query's range. */
  private long bucketLow;
  /** Whether the time iterator has been positioned yet. */
  private boolean positioned;

  /**
   * A cursor over a term's postings ({@code entries} walk {@code 0x0B | term} within {@code
   * bounds}) and its refs in memory, {@code memory}, which the caller read before.
   */
  static RefCursor postings(RocksDB db, Partition partition, int rank, byte[] postingPrefix,
      Bounds bounds, long[] memory, TraceQuery q) {
    return new RefCursor(db, partition, rank, postingPrefix, bounds, memory, true, q);
  }

  /** A cursor over the {@code 0x07} entries of a term within {@code bounds}. */
  static RefCursor entries(RocksDB db, Partition partition, int rank, byte[] term,
      Bounds bounds, TraceQuery q) {
    return new RefCursor(db, partition, rank, term, bounds, null, false, q);
  }

  private RefCursor(RocksDB db, Partition partition, int rank, byte[] prefix, Bounds bounds,
      long[] memory, boolean postings, TraceQuery q) {
    super(db, partition, rank, prefix, bounds, q);
    this.minStart = q.startTimeMinNanos();
    // Refs name group entries, keyed by the group's latest start (see SpanCursor#accept).
    this.maxStart = Keys.groupCeiling(q.startTimeMaxNanos());
    this.postings = postings ? new Postings.Merge(entries, prefixLength, memory,
        Postings.bucket(minStart), Postings.bucket(maxStart)) : null;
    this.traceIdBytes = postings ? this.postings.traceIdBytes : new long[4];
    this.timeBounds = Bounds.prefix(Keys.TIME_PREFIX);
    this.time = db.newIterator(partition.handle, timeBounds.options);
  }

  @Override
  boolean next() throws RocksDBException {
    time.prev();
    return scanBucket() || settle();
  }

  /** Gathers the refs of the next earlier bucket and moves to its latest span in range. */
  @Override
  boolean settle() throws RocksDBException {
    while (nextBucket()) {
      if (scanBucket()) {
        return true;
      }
    }
    return false;
  }

  /** Moves to the next earlier bucket and positions the time iterator at or above its end. */
  private boolean nextBucket() throws RocksDBException {
    long bucket;
    if (postings != null) {
      if (!postings.next()) {
        return false;
      }
      bucket = postings.bucket;
    } else {
      if (!entries.isValid()) {
        entries.status();
        return false;
      }
      bucket = Keys.refBucket(entries.key(), prefixLength);
      Arrays.fill(traceIdBytes, 0);
      do {
        int b = Keys.refTraceIdByte(entries.key(), prefixLength);
        traceIdBytes[b >>> 6] |= 1L << b;
        entries.prev();
      } while (entries.isValid() && Keys.refBucket(entries.key(), prefixLength) == bucket);
    }
    bucketLow = Math.max(minStart, Keys.bucketLow(bucket));
    long ceiling = Math.min(maxStart, Keys.bucketHigh(bucket));
    if (positioned) {
      // The iterator stands below the previous (later) bucket: step back to this one's end.
      for (int i = 0; i < MAX_STEPS && time.isValid(); i++) {
        if (Keys.indexStart(time.key(), 1) <= ceiling) {
          return true;
        }
        time.prev();
      }
      if (!time.isValid()) {
        time.status();
        return false; // the time index holds nothing earlier
      }
    }
    time.seekForPrev(Keys.timeCeiling(ceiling));
    positioned = true;
    return true;
  }

  /** From the time iterator backwards, moves to the first span of the bucket in range. */
  private boolean scanBucket() throws RocksDBException {
    for (; time.isValid(); time.prev()) {
      byte[] key = time.key();
      if (Keys.indexStart(key, 1) < bucketLow) {
        break;
      }
      int b = key[9] & 0xFF; // the trace id's first byte
      if ((traceIdBytes[b >>> 6] & (1L << b)) != 0 && accept(key, time.value(), 1)) {
        return true;
      }
    }
    time.status();
    return false;
  }

  @Override
  public void close() {
    time.close();
    timeBounds.close();
    super.close();
  }
}
