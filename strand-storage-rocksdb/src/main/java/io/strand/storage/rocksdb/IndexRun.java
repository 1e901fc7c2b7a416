package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * One run of index entries a search may walk in a partition: a time-index run ({@code 0x04}
 * or {@code 0x05}), whose entries name spans, or a span attribute run ({@code 0x07}), whose
 * entries point into the time index.
 *
 * @param prefix what every entry of the run starts with
 * @param refs whether the entries are {@link Keys#startRef start refs}
 */
record IndexRun(byte[] prefix, boolean refs) {

  /** Opens a cursor over the spans this run points to in {@code p}. */
  SpanCursor cursor(RocksDB db, Partition p, int rank, TraceQuery q) {
    return refs ? new RefCursor(db, p, rank, prefix, bounds(q), q)
        : new IndexCursor(db, p, rank, prefix, bounds(q), q);
  }

  /** The keys of this run that can point to spans in the query's start range. */
  private Bounds bounds(TraceQuery q) {
    return refs ? Bounds.buckets(prefix, q.startTimeMinNanos(), q.startTimeMaxNanos())
        : Bounds.starts(prefix, q.startTimeMinNanos(), q.startTimeMaxNanos());
  }

  /** Entries of this run in {@code p} in the query's start range, counted up to {@code bound}. */
  long count(RocksDB db, Partition p, TraceQuery q, long bound) throws RocksDBException {
    try (Bounds b = bounds(q);
         RocksIterator it = db.newIterator(p.handle, b.options)) {
      long n = 0;
      // Newest first, like the search that follows.
      for (it.seekToLast(); n < bound && it.isValid(); it.prev()) {
        n++;
      }
      it.status();
      return n;
    }
  }
}
