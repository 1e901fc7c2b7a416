package io.strand.storage.rocksdb;

import io.strand.model.SpanKind;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.rocksdb.ColumnFamilyHandle;

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
  private static final int MAX_REMEMBERED_NAMES = 10_000;

  record OperationName(String service, String name, SpanKind kind) {}

  final long startMillis;
  final String name;
  final ColumnFamilyHandle handle;

  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean retired;
  /** Flushed and compacted after it stopped taking writes; in memory only. */
  volatile boolean sealed;

  private final Set<String> services = ConcurrentHashMap.newKeySet();
  private final Set<OperationName> operations = ConcurrentHashMap.newKeySet();

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

  boolean knowsService(String service) {
    return services.contains(service);
  }

  boolean knowsOperation(OperationName op) {
    return operations.contains(op);
  }

  /** Remembers names whose catalog keys are durable in this partition. */
  void remember(Set<String> newServices, Set<OperationName> newOperations) {
    if (services.size() < MAX_REMEMBERED_NAMES) {
      services.addAll(newServices);
    }
    if (operations.size() < MAX_REMEMBERED_NAMES) {
      operations.addAll(newOperations);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
