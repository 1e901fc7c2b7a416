package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes and compactions: on demand for every partition, and sealing for partitions that no
 * longer take writes.
 */
record TableMaintenance(Lifecycle lifecycle, Partitions partitions, RocksDB db,
    ColumnFamilyHandle defaultCf, CompactRangeOptions sealOptions, PostingFlusher postings,
    SealCompression compression) {

  /** The store's logger: its parts log under one name. */
  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  /** Writes the postings held in memory, then turns every memtable into table files, waiting. */
  void flush() {
    lifecycle.whileOpen(() -> {
      List<Partition> parts = partitions.acquireNewestFirst();
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flush(fo, defaultCf);
        for (Partition p : parts) {
          postings.flush(p);
          db.flush(fo, p.handle);
        }
      } catch (RocksDBException e) {
        throw new StorageException("flush failed: " + e.getMessage(), e);
      } finally {
        partitions.releaseAll(parts);
      }
    });
  }

  /**
   * Flushes and fully compacts every partition, waiting, with the compression of sealed ones
   * (which the newest keeps for later compactions too).
   */
  void compact() {
    flush();
    lifecycle.whileOpen(() -> {
      List<Partition> parts = partitions.acquireNewestFirst();
      try (CompactRangeOptions full = new CompactRangeOptions()
          .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
        for (Partition p : parts) {
          compression.apply(db, p.handle);
          db.compactRange(p.handle, null, null, full);
        }
      } catch (RocksDBException e) {
        throw new StorageException("compaction failed: " + e.getMessage(), e);
      } finally {
        partitions.releaseAll(parts);
      }
    });
  }

  /**
   * Flushes and compacts, once, each partition that no longer takes writes: writes its postings
   * still in memory, frees its memtable and the log files it pins, and rewrites it as one sorted
   * run at the bottom level, ZSTD-compressed ({@link SealCompression}), so a trace lookup probes
   * one set of filters per old partition.
   */
  void sealInactivePartitions() {
    lifecycle.whileOpen(() -> {
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        for (Partition p : partitions.olderThanNewest()) {
          if (lifecycle.isClosed()) {
            return;
          }
          if (p.sealed || !p.tryAcquire()) {
            continue;
          }
          try {
            postings.flush(p);
            db.flush(fo, p.handle);
            // After a restart, a partition sealed before is ZSTD throughout and stays as it is.
            if (!SealCompression.isSealed(db, p.handle)) {
              compression.apply(db, p.handle);
              db.compactRange(p.handle, null, null, sealOptions);
            }
            p.sealed = true;
            p.denseTerms.forget();
            log.debug("sealed partition {}", p.name);
          } catch (RocksDBException e) {
            if (!lifecycle.isClosed()) {
              log.warn("sealing partition {} failed: {}", p.name, e.getMessage());
            }
          } finally {
            partitions.release(p);
          }
        }
      }
    });
  }

  /** Cancels a running sealing compaction and any later one; first step of close. */
  void cancelSealing() {
    try {
      sealOptions.setCanceled(true);
    } catch (RuntimeException e) {
      log.debug("cancelling compaction failed", e);
    }
  }
}
