package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention by age and by size, and the background task that applies it every
 * {@link RocksDbConfig#retentionCheckInterval()} and then seals partitions that stopped taking
 * writes.
 */
final class RetentionEnforcer {

  /** The store's logger: its parts log under one name. */
  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  private final RocksDbConfig config;
  private final Lifecycle lifecycle;
  private final Partitions partitions;
  private final TableMaintenance tables;
  /** One enforcement at a time: the background task and direct callers. */
  private final Object retentionLock = new Object();
  private volatile ScheduledExecutorService maintenance;

  RetentionEnforcer(RocksDbConfig config, Lifecycle lifecycle, Partitions partitions,
      TableMaintenance tables) {
    this.config = config;
    this.lifecycle = lifecycle;
    this.partitions = partitions;
    this.tables = tables;
  }

  /** See {@link RocksDbStorage#enforceRetention()}. */
  void enforce() {
    synchronized (retentionLock) {
      lifecycle.whileOpen(() -> {
        try {
          dropExpired();
        } catch (RocksDBException e) {
          throw new StorageException("enforcing retention failed: " + e.getMessage(), e);
        }
      });
    }
  }

  /** Drops by age, then, oldest first and never the newest, by size. */
  private void dropExpired() throws RocksDBException {
    long now = config.clock().millis();
    long maxAge = config.retentionMaxAge().toMillis();
    long cutoff = now - maxAge;
    List<Partition> live = partitions.oldestFirst();
    List<Partition> kept = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      Partition p = live.get(i);
      long end = partitions.end(p, i + 1 < live.size() ? live.get(i + 1) : null);
      if (end <= cutoff) {
        partitions.retire(p, "age (ended " + Instant.ofEpochMilli(end) + ", older than "
            + config.retentionMaxAge() + ")", partitions.tableBytes(p));
      } else {
        kept.add(p);
      }
    }
    long[] sizes = new long[kept.size()];
    long total = 0;
    for (int i = 0; i < kept.size(); i++) {
      sizes[i] = partitions.tableBytes(kept.get(i));
      total += sizes[i];
    }
    for (int i = 0; i < kept.size() - 1 && total > config.retentionMaxBytes(); i++) {
      partitions.retire(kept.get(i), "size (" + total + " bytes over the limit of "
          + config.retentionMaxBytes() + ")", sizes[i]);
      total -= sizes[i];
    }
  }

  /** Starts the background task. */
  void start() {
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strand-rocksdb-retention");
      t.setDaemon(true);
      return t;
    });
    long every = config.retentionCheckInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
  }

  /** The background task: retention, then sealing partitions that stopped taking writes. */
  private void maintain() {
    try {
      enforce();
      tables.sealInactivePartitions();
    } catch (RuntimeException e) {
      if (!lifecycle.isClosed()) {
        log.warn("storage maintenance failed; retrying in {}",
            config.retentionCheckInterval(), e);
      }
    }
  }

  /** Stops the background task, cancelling a running sealing compaction; for close. */
  void stop() {
    tables.cancelSealing();
    if (maintenance != null) {
      maintenance.shutdownNow();
      try {
        if (!maintenance.awaitTermination(30, TimeUnit.SECONDS)) {
          log.warn("retention task did not stop within 30 s; closing anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
