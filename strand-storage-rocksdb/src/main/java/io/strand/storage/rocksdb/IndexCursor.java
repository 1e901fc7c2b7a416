package io.strand.storage.rocksdb;

import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** Walks one partition's time index backwards within the query's start range. */
final class IndexCursor implements AutoCloseable {

  final Partition partition;
  /** The partition's place among those searched, newest first. */
  final int rank;
  private final int prefixLength;
  private final long minDuration;
  private final long maxDuration;
  private final Slice lower;
  private final Slice upper;
  private final ReadOptions ro;
  private final RocksIterator it;
  private byte[] key;
  long start;
  TraceId traceId;

  IndexCursor(RocksDB db, Partition partition, int rank, byte[] prefix, TraceQuery q) {
    this.partition = partition;
    this.rank = rank;
    this.prefixLength = prefix.length;
    this.minDuration = q.minDurationNanos();
    this.maxDuration = q.maxDurationNanos();
    this.lower = new Slice(Keys.indexBound(prefix, q.startTimeMinNanos()));
    this.upper = new Slice(Keys.successor(Keys.indexBound(prefix, q.startTimeMaxNanos())));
    this.ro = new ReadOptions()
        .setTotalOrderSeek(true)
        .setIterateLowerBound(lower)
        .setIterateUpperBound(upper);
    this.it = db.newIterator(partition.handle, ro);
  }

  /** Moves to the latest entry in range; false when there is none. */
  boolean first() throws RocksDBException {
    it.seekToLast();
    return settle();
  }

  /** Moves to the next earlier entry in range; false when there is none. */
  boolean next() throws RocksDBException {
    it.prev();
    return settle();
  }

  /** Moves back to the first entry whose duration is in range. */
  private boolean settle() throws RocksDBException {
    for (; it.isValid(); it.prev()) {
      long duration = Keys.readVarint(it.value());
      if (duration >= minDuration && duration <= maxDuration) {
        key = it.key();
        start = Keys.indexStart(key, prefixLength);
        traceId = Keys.traceIdAt(key, prefixLength + 8);
        return true;
      }
    }
    it.status();
    return false;
  }

  /** The key of the span the current entry points to. */
  byte[] spanKey() {
    return Keys.spanFromIndex(key, prefixLength + 8);
  }

  @Override
  public void close() {
    it.close();
    ro.close();
    lower.close();
    upper.close();
  }
}
