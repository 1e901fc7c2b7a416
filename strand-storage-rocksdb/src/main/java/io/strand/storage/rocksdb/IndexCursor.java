package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Walks one run of a time index ({@code 0x04} or {@code 0x05}) backwards. */
final class IndexCursor extends SpanCursor {

  IndexCursor(RocksDB db, Partition partition, int rank, byte[] prefix, Bounds bounds,
      TraceQuery q) {
    super(db, partition, rank, prefix, bounds, q);
  }

  @Override
  boolean next() throws RocksDBException {
    entries.prev();
    return settle();
  }

  /** Moves back to the first entry whose duration is in range. */
  @Override
  boolean settle() throws RocksDBException {
    for (; entries.isValid(); entries.prev()) {
      if (accept(entries.key(), entries.value(), prefixLength)) {
        return true;
      }
    }
    entries.status();
    return false;
  }
}
