package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import java.util.Arrays;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Walks one run of the span attribute index backwards. An entry ({@code term | bucket |
 * traceId[0]}) stands for the spans the time index holds in that start bucket whose trace id
 * starts with that byte: all of them are candidates, and the query's predicate later tells which
 * carried the attribute. The entries of one bucket are gathered first, then the bucket's part of
 * the time index is walked backwards, so spans come out latest start first, as the merge needs.
 */
final class RefCursor extends SpanCursor {

  private final long minStart;
  private final long maxStart;
  private final Bounds timeBounds;
  private final RocksIterator time;
  /** Trace id first bytes the current bucket's entries name, as a 256-bit set. */
  private final long[] traceIdBytes = new long[4];
  /** Earliest start of the current bucket within the query's range. */
  private long bucketLow;

  RefCursor(RocksDB db, Partition partition, int rank, byte[] term, Bounds refBounds,
      TraceQuery q) {
    super(db, partition, rank, term, refBounds, q);
    this.minStart = q.startTimeMinNanos();
    this.maxStart = q.startTimeMaxNanos();
    this.timeBounds = Bounds.prefix(Keys.TIME_PREFIX);
    this.time = db.newIterator(partition.handle, timeBounds.options);
  }

  @Override
  boolean next() throws RocksDBException {
    time.prev();
    return scanBucket() || settle();
  }

  /** Gathers the entries of the next earlier bucket and moves to its latest span in range. */
  @Override
  boolean settle() throws RocksDBException {
    while (entries.isValid()) {
      long bucket = Keys.refBucket(entries.key(), prefixLength);
      Arrays.fill(traceIdBytes, 0);
      do {
        int b = Keys.refTraceIdByte(entries.key(), prefixLength);
        traceIdBytes[b >>> 6] |= 1L << b;
        entries.prev();
      } while (entries.isValid() && Keys.refBucket(entries.key(), prefixLength) == bucket);
      bucketLow = Math.max(minStart, Keys.bucketLow(bucket));
      time.seekForPrev(Keys.timeCeiling(Math.min(maxStart, Keys.bucketHigh(bucket))));
      if (scanBucket()) {
        return true;
      }
    }
    entries.status();
    return false;
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
