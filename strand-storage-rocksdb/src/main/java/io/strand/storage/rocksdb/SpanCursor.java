package io.strand.storage.rocksdb;

import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A walk over the spans one index run of one partition points to, latest start first, limited
 * to the query's start and duration ranges. After a successful {@link #first()} or {@link
 * #next()}, {@link #start}, {@link #traceId} and {@link #spanKey()} describe the current span.
 */
abstract class SpanCursor implements AutoCloseable {

  final Partition partition;
  /** The partition's place among those searched, newest first. */
  final int rank;
  long start;
  TraceId traceId;
  /** The run's entries, walked backwards from the last. */
  final RocksIterator entries;
  /** Length of the run's prefix. */
  final int prefixLength;
  private final Bounds bounds;
  private final long minDuration;
  private final long maxDuration;
  private byte[] entry;
  private int suffixAt;

  /** A cursor over the entries of the run {@code prefix} within {@code bounds}, which it owns. */
  SpanCursor(RocksDB db, Partition partition, int rank, byte[] prefix, Bounds bounds,
      TraceQuery q) {
    this.partition = partition;
    this.rank = rank;
    this.prefixLength = prefix.length;
    this.bounds = bounds;
    this.minDuration = q.minDurationNanos();
    this.maxDuration = q.maxDurationNanos();
    this.entries = db.newIterator(partition.handle, bounds.options);
  }

  /** Moves to the latest span in range; false when there is none. */
  final boolean first() throws RocksDBException {
    entries.seekToLast();
    return settle();
  }

  /** Moves to the next span, at the same or an earlier start; false when there is none. */
  abstract boolean next() throws RocksDBException;

  /** From the current entry of the run backwards, moves to the first span in range. */
  abstract boolean settle() throws RocksDBException;

  /**
   * Makes a time-index entry ({@code prefix | start | traceId | spanId | kind → duration}) the
   * current span if its duration is in range; false (and no move) otherwise.
   */
  final boolean accept(byte[] key, byte[] value, int timePrefixLength) {
    long duration = Keys.readVarint(value);
    if (duration < minDuration || duration > maxDuration) {
      return false;
    }
    entry = key;
    suffixAt = timePrefixLength + 8;
    start = Keys.indexStart(key, timePrefixLength);
    traceId = Keys.traceIdAt(key, suffixAt);
    return true;
  }

  /** The key of the current span. */
  final byte[] spanKey() {
    return Keys.spanFromIndex(entry, suffixAt);
  }

  @Override
  public void close() {
    entries.close();
    bounds.close();
  }
}
