package io.strand.storage.rocksdb;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One time partition: a column family holding the spans written during one interval of ingest
 * time, with a reference count guarding its handle.
 *
 * <p>The store holds one reference while the partition is live; every read or write holds one
 * more while it uses the handle. Retiring the partition (retention) gives up the store's
 * reference and stops new acquisitions; whoever releases the last reference drops the column
 * family and closes the handle, so a handle is never closed under a running operation and no
 * operation blocks retention.
 */
final class Partition {

  /** Names remembered per partition to skip rewriting catalog keys; bounded, best effort. */
  private static final int MAX_REMEMBERED_NAMES = 20_000;

  final long startMillis;
  final String name;
  final ColumnFamilyHandle handle;

  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean retired;
  /** Flushed and compacted after it stopped taking writes; in memory only. */
  volatile boolean sealed;
  /** Attribute terms too common here to index; for the writer. */
  final DenseTerms denseTerms = new DenseTerms();
  /** Whether {@link Keys#ATTRIBUTES_INDEXED} is present; null until read. */
  private volatile Boolean attributesIndexed;

  /** Catalog names (see {@link CatalogWrites}) whose keys are durable in this partition. */
  private final Set<Object> catalog = ConcurrentHashMap.newKeySet();

  Partition(long startMillis, ColumnFamilyHandle handle) {
    this.startMillis = startMillis;
    this.name = nameOf(startMillis);
    this.handle = handle;
  }

  static String nameOf(long startMillis) {
    return "p-" + startMillis;
  }

  /** The start of a partition named by {@link #nameOf}, or null for any other name. */
  static Long parseName(String name) {
    if (!name.startsWith("p-")) {
      return null;
    }
    try {
      long start = Long.parseLong(name.substring(2));
      return nameOf(start).equals(name) ? start : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Takes a reference; false once the partition is retired. */
  boolean tryAcquire() {
    while (!retired) {
      int r = refs.get();
      if (r == 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Gives a reference back; true when it was the last, so the caller must dispose. */
  boolean release() {
    return refs.decrementAndGet() == 0;
  }

  /**
   * Stops new acquisitions and gives up the store's reference; true when no operation holds
   * one, so the caller must dispose now. Only the first call counts.
   */
  boolean retire() {
    synchronized (this) {
      if (retired) {
        return false;
      }
      retired = true;
    }
    return release();
  }

  /** Whether every span here has its attribute entries: false for older versions' partitions. */
  boolean attributesIndexed(RocksDB db) throws RocksDBException {
    Boolean indexed = attributesIndexed;
    if (indexed == null) {
      indexed = db.get(handle, Keys.ATTRIBUTES_INDEXED) != null;
      attributesIndexed = indexed;
    }
    return indexed;
  }

  /** Whether the catalog keys of {@code name} are durable in this partition. */
  boolean knows(Object name) {
    return catalog.contains(name);
  }

  /** Remembers names whose catalog keys are durable in this partition. */
  void remember(Collection<?> names) {
    if (catalog.size() < MAX_REMEMBERED_NAMES) {
      catalog.addAll(names);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
