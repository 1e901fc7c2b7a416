package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One run of index entries a search may walk in a partition.
 *
 * @param kind how the run is stored
 * @param prefix for {@link Kind#TIME} and {@link Kind#ENTRIES}, what every entry of the run
 *     starts with; for {@link Kind#POSTINGS}, the term
 */
record IndexRun(Kind kind, byte[] prefix) {

  enum Kind {
    /** A time index run ({@code 0x05}, or {@code 0x04} of earlier versions): entries name spans. */
    TIME,
    /** A term's postings ({@code 0x0B}) and its refs in memory, pointing into the time index. */
    POSTINGS,
    /** A term's per-span attribute entries of earlier versions ({@code 0x07}), likewise. */
    ENTRIES
  }

  static IndexRun time(byte[] prefix) {
    return new IndexRun(Kind.TIME, prefix);
  }

  static IndexRun postings(byte[] term) {
    return new IndexRun(Kind.POSTINGS, term);
  }

  static IndexRun entries(byte[] term) {
    return new IndexRun(Kind.ENTRIES, term);
  }

  /** Opens a cursor over the spans this run points to in {@code p}. */
  SpanCursor cursor(RocksDB db, Partition p, int rank, TraceQuery q) {
    return switch (kind) {
      case TIME -> new IndexCursor(db, p, rank, prefix, bounds(q), q);
      case ENTRIES -> RefCursor.entries(db, p, rank, prefix, bounds(q), q);
      case POSTINGS -> {
        // Memory first, then the iterators: a window written meanwhile is seen one way or the
        // other (see PendingPostings).
        long[] memory = p.pending.refs(prefix, Postings.bucket(q.startTimeMinNanos()),
            maxBucket(q));
        yield RefCursor.postings(db, p, rank, Keys.postingPrefix(prefix), bounds(q), memory, q);
      }
    };
  }

  /**
   * The newest ref bucket that can name a span in the query's start range: refs name group
   * entries, keyed by the group's latest start, up to one group window past the range.
   */
  private static long maxBucket(TraceQuery q) {
    return Postings.bucket(Keys.groupCeiling(q.startTimeMaxNanos()));
  }

  /** The keys of this run that can point to spans in the query's start range. */
  private Bounds bounds(TraceQuery q) {
    return switch (kind) {
      // Group entries are keyed by their latest start: one may hold earlier starts in range.
      case TIME -> Bounds.starts(prefix, q.startTimeMinNanos(),
          Keys.groupCeiling(q.startTimeMaxNanos()));
      case ENTRIES -> Bounds.buckets(prefix, q.startTimeMinNanos(), q.startTimeMaxNanos());
      case POSTINGS -> Bounds.postings(Keys.postingPrefix(prefix), q.startTimeMinNanos());
    };
  }

  /**
   * Entries of this run in {@code p} in the query's start range, counted up to {@code bound}
   * (for postings: refs, a bucket and trace-id byte each).
   */
  long count(RocksDB db, Partition p, TraceQuery q, long bound) throws RocksDBException {
    long[] memory = kind == Kind.POSTINGS ? p.pending.refs(prefix,
        Postings.bucket(q.startTimeMinNanos()), maxBucket(q)) : null;
    try (Bounds b = bounds(q);
         RocksIterator it = db.newIterator(p.handle, b.options)) {
      long n = 0;
      // Newest first, like the search that follows.
      it.seekToLast();
      if (kind == Kind.POSTINGS) {
        Postings.Merge merge = new Postings.Merge(it, prefix.length + 1, memory,
            Postings.bucket(q.startTimeMinNanos()), maxBucket(q));
        while (n < bound && merge.next()) {
          n += merge.refs;
        }
        return n;
      }
      for (; n < bound && it.isValid(); it.prev()) {
        n++;
      }
      it.status();
      return n;
    }
  }
}
