package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes full windows of postings ({@link PendingPostings#flush}) on a background thread, so that
 * no write batch waits for one. Should windows fill faster than they are written, the writer
 * that finds {@value PendingPostings#MAX_WINDOWS} of them in memory writes them itself, which
 * bounds the memory and slows writers down.
 */
final class PostingFlusher {

  /** The store's logger: its parts log under one name. */
  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  private final Lifecycle lifecycle;
  private final Partitions partitions;
  private final RocksDB db;
  /** Unsynced: see {@link PendingPostings#flush}. */
  private final WriteOptions options;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "strand-rocksdb-postings");
    t.setDaemon(true);
    return t;
  });

  PostingFlusher(Lifecycle lifecycle, Partitions partitions, RocksDB db, WriteOptions options) {
    this.lifecycle = lifecycle;
    this.partitions = partitions;
    this.db = db;
    this.options = options;
  }

  /**
   * Called by a writer, holding a reference to {@code p}, whose batch filled a window: queues a
   * flush, or flushes now when too many windows are held. Never fails: the batch is durable and
   * searchable whether or not its postings are written now.
   */
  void windowFull(Partition p) {
    if (p.pending.full(PendingPostings.MAX_WINDOWS)) {
      try {
        p.pending.flush(db, p.handle, options);
      } catch (RocksDBException e) {
        log.warn("writing postings of partition {} failed; retrying with the next window: {}",
            p.name, e.getMessage());
      }
    } else if (p.pending.flushQueued.compareAndSet(false, true)) {
      try {
        executor.execute(() -> flushInBackground(p));
      } catch (RejectedExecutionException e) {
        p.pending.flushQueued.set(false); // closing: close writes what is held
      }
    }
  }

  private void flushInBackground(Partition p) {
    // Cleared first: a window filling during this flush queues the next one.
    p.pending.flushQueued.set(false);
    if (!p.tryAcquire()) {
      return; // retired: its postings go with it
    }
    try {
      lifecycle.whileOpen(() -> {
        try {
          p.pending.flush(db, p.handle, options);
        } catch (RocksDBException e) {
          log.warn("writing postings of partition {} failed; retrying with the next window: {}",
              p.name, e.getMessage());
        }
      });
    } catch (StorageException closed) {
      // closing: close writes what is held
    } finally {
      partitions.release(p);
    }
  }

  /** Writes what {@code p} holds now; the caller holds a reference to it. */
  void flush(Partition p) throws RocksDBException {
    p.pending.flush(db, p.handle, options);
  }

  /**
   * Stops the background thread; first step of close, after the store is marked closed (so that
   * a queued flush finds it closed rather than waiting for close's lock).
   */
  void stop() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("postings writer did not stop within 30 s; closing anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes what every partition holds; for close, once no operation runs. A failure only costs
   * indexing those batches again at the next open.
   */
  void flushAll(List<Partition> live) {
    for (Partition p : live) {
      try {
        p.pending.flush(db, p.handle, options);
      } catch (RocksDBException | RuntimeException e) {
        log.warn("writing postings of partition {} at close failed; they are indexed again at"
            + " the next open: {}", p.name, e.getMessage());
      }
    }
  }
}
