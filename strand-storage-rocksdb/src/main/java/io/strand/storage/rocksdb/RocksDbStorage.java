package io.strand.storage.rocksdb;

import io.strand.storage.CheckResult;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageComponent;
import io.strand.storage.StorageException;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded RocksDB span store: one column family per partition of ingest time, retention by
 * dropping whole partitions, synchronous write-ahead-logged batches for durability.
 *
 * <pre>
 * RocksDB
 *  ├─ default         format marker
 *  ├─ p-1767225600000 spans written 00:00–01:00 (ingest time)   ← oldest, dropped first
 *  ├─ p-1767229200000 spans written 01:00–02:00
 *  └─ p-1767232800000 spans written 02:00–03:00                 ← newest, takes all writes
 * </pre>
 *
 * See {@link Keys} for the layout inside a partition. Writes always go to the newest partition,
 * so a span written again later shadows its older copies: readers take the copy from the newest
 * partition holding it.
 *
 * <p>This class wires the parts together: {@link RocksResources} (tuning, open, teardown),
 * {@link Partitions} (the partition registry), {@link SpanBatchWriter} (with {@link
 * BatchIndexer} for index and catalog entries, {@link PendingPostings} holding postings until
 * {@link PostingFlusher} writes them), {@link TraceLookup}, {@link IndexSearch} (with
 * {@link SearchPlanner} choosing the index), {@link CatalogReader}, {@link RetentionEnforcer}
 * (with the background task), {@link TableMaintenance} (flushes, compactions, sealing), {@link
 * DiskUsage}, and {@link Lifecycle} (open or closed; close waits for running operations).
 *
 * <p>Open with {@link #open(RocksDbConfig)}; {@link #close()} releases everything.
 */
public final class RocksDbStorage implements StorageComponent {

  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  private final RocksDbConfig config;
  private final RocksResources resources;
  private final Lifecycle lifecycle;
  private final SpanBatchWriter spanWriter;
  private final TraceLookup traceReader;
  private final CatalogReader serviceCatalog;
  private final IndexSearch traceSearch;
  private final TableMaintenance tables;
  private final RetentionEnforcer retention;
  private final DiskUsage diskUsage;
  private final PostingFlusher postings;

  private RocksDbStorage(RocksDbConfig config, RocksResources resources) {
    this.config = config;
    this.resources = resources;
    this.lifecycle = new Lifecycle(config.path());
    Partitions partitions = resources.partitions;
    this.postings = new PostingFlusher(lifecycle, partitions, resources.db,
        resources.plainWrite);
    this.spanWriter = new SpanBatchWriter(lifecycle, partitions, resources.db,
        resources.syncWrite, postings);
    this.traceReader = new TraceLookup(lifecycle, partitions);
    this.serviceCatalog = new CatalogReader(lifecycle, partitions);
    this.traceSearch = new IndexSearch(lifecycle, partitions, resources.db);
    this.tables = new TableMaintenance(lifecycle, partitions, resources.db, resources.defaultCf,
        resources.sealOptions, postings, new SealCompression(config.sealedCompressionLevel()));
    this.retention = new RetentionEnforcer(config, lifecycle, partitions, tables);
    this.diskUsage = new DiskUsage(config.path(), lifecycle, partitions);
  }

  /**
   * Opens (creating when missing) the store in {@code config.path()}, reopening every partition
   * found there, and starts the background retention task.
   *
   * @throws StorageException when the directory cannot be created or the database opened
   */
  public static RocksDbStorage open(RocksDbConfig config) {
    RocksDbStorage storage = new RocksDbStorage(config, RocksResources.open(config));
    try {
      storage.recoverPostings();
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    storage.retention.start();
    return storage;
  }

  /**
   * Indexes again the batches whose postings were still in memory when the process stopped
   * without closing the store (see {@link PendingPostings#recover}).
   */
  private void recoverPostings() {
    for (Partition p : resources.partitions.oldestFirst()) {
      try {
        long spans = p.pending.recover(resources.db, p, resources.plainWrite);
        if (spans > 0) {
          log.info("indexed {} spans of partition {} again: their postings were not written"
              + " before the last stop", spans, p.name);
        }
      } catch (RocksDBException e) {
        throw new StorageException("cannot index the pending batches of partition " + p.name
            + ": " + e.getMessage(), e);
      }
    }
  }

  // ---------------------------------------------------------------- roles

  @Override
  public SpanWriter spanWriter() {
    return spanWriter;
  }

  @Override
  public TraceReader traceReader() {
    return traceReader;
  }

  @Override
  public ServiceCatalog serviceCatalog() {
    return serviceCatalog;
  }

  @Override
  public TraceSearch traceSearch() {
    return traceSearch;
  }

  // ---------------------------------------------------------------- retention and disk

  /**
   * Applies retention now: drops every partition whose end is older than the maximum age, then,
   * while the partitions' table files exceed the byte limit, the oldest partition, never the
   * newest. The background task calls this every {@link RocksDbConfig#retentionCheckInterval()};
   * tests and operators may call it directly.
   *
   * @throws StorageException when the store is closed or a size cannot be read
   */
  public void enforceRetention() {
    retention.enforce();
  }

  /** Partitions, oldest first, with the table bytes each holds. */
  public List<PartitionInfo> partitions() {
    return diskUsage.partitionInfos();
  }

  /** The partition registry; for tests in this package. */
  Partitions partitionRegistry() {
    return resources.partitions;
  }

  /**
   * Bytes the store occupies on disk: the sizes of every file in its directory (tables,
   * write-ahead log, manifest, RocksDB's own logs). For metrics and benchmarks; retention
   * budgets table files only (see {@link PartitionInfo#tableBytes()}).
   */
  public long diskBytes() {
    return diskUsage.directoryBytes();
  }

  /**
   * Writes the postings held in memory, then turns every memtable into table files, waiting; for
   * tests, benchmarks and backups.
   */
  public void flush() {
    tables.flush();
  }

  /** Flushes and fully compacts every partition, waiting; for benchmarks and tests. */
  public void compact() {
    tables.compact();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public CheckResult check() {
    return lifecycle.locked(() -> {
      if (lifecycle.isClosed()) {
        return CheckResult.failed("RocksDB storage in " + config.path() + " is closed");
      }
      try {
        resources.readFormatMarker();
        return CheckResult.OK;
      } catch (RocksDBException e) {
        return CheckResult.failed("RocksDB storage in " + config.path() + " cannot read: "
            + e.getMessage());
      }
    });
  }

  /**
   * Stops the retention task (cancelling a running compaction), waits for running operations,
   * then closes handles, the database and its options. Idempotent.
   */
  @Override
  public void close() {
    if (!lifecycle.markClosed()) {
      return;
    }
    retention.stop();
    postings.stop();
    lifecycle.exclusively(() -> {
      postings.flushAll(resources.partitions.oldestFirst());
      resources.close();
      log.info("closed RocksDB span store in {}", config.path());
    });
  }

  @Override
  public String toString() {
    return "RocksDbStorage[" + config.path() + ", " + resources.partitions.size()
        + " partitions]";
  }
}
