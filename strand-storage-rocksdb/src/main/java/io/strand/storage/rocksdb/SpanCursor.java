package io.strand.storage.rocksdb;

import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A walk over the time-index entries one index run of one partition points to, latest start
 * first, limited to those that can hold spans in the query's start and duration ranges. After a
 * successful {@link #first()} or {@link #next()}, {@link #start}, {@link #traceId} and {@link
 * #group} describe the current entry: a span group (its latest start; see {@link SpanGroups}),
 * or a single span of an earlier version ({@link #spanKey()}).
 */
abstract class SpanCursor implements AutoCloseable {

  final Partition partition;
  /** The partition's place among those searched, newest first. */
  final int rank;
  /** The current entry's start: a group's latest, or the single span's. */
  long start;
  TraceId traceId;
  /** Whether the current entry is a span group rather than a single span. */
  boolean group;
  /** The run's entries, walked backwards from the last. */
  final RocksIterator entries;
  /** Length of the run's prefix. */
  final int prefixLength;
  private final Bounds bounds;
  private final long minDuration;
  private final long maxDuration;
  private final long maxStart;
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
    this.maxStart = q.startTimeMaxNanos();
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
   * Makes a time-index entry ({@code prefix | maxStart | traceId → durations} of a group, or
   * {@code prefix | start | traceId | spanId | kind → duration} of a span) the current one if it
   * can hold spans in the query's ranges; false (and no move) otherwise. The run's bounds reach
   * one group window past the query's latest start ({@link Keys#groupCeiling}).
   */
  final boolean accept(byte[] key, byte[] value, int timePrefixLength) {
    long at = Keys.indexStart(key, timePrefixLength);
    boolean isGroup = Keys.isGroup(key, timePrefixLength);
    long earliest = isGroup ? Keys.groupLow(at) : at;
    long shortest = Keys.readVarint(value);
    long longest = isGroup ? Keys.maxDuration(value) : shortest;
    if (earliest > maxStart || longest < minDuration || shortest > maxDuration) {
      return false;
    }
    entry = key;
    suffixAt = timePrefixLength + 8;
    start = at;
    group = isGroup;
    traceId = Keys.traceIdAt(key, suffixAt);
    return true;
  }

  /** The key of the current span, when the entry is not a {@link #group}. */
  final byte[] spanKey() {
    return Keys.spanFromIndex(entry, suffixAt);
  }

  @Override
  public void close() {
    entries.close();
    bounds.close();
  }
}
