package io.strand.storage.rocksdb;

import io.strand.model.Span;
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
  /** Postings of durable batches not written as posting lists yet. */
  final PendingPostings pending = new PendingPostings();
  /** Resources and scopes the spans here name by id. */
  final ResourceDictionary resources = new ResourceDictionary();
  /** How the spans here are indexed; null until read. */
  private volatile Index index;

  /** How a partition's spans are indexed, told by the marker its creator wrote. */
  enum Index {
    /**
     * Created with postings ({@link Keys#POSTINGS_INDEXED}): every span is in the postings of
     * its span attributes ({@code 0x0B}).
     */
    POSTINGS,
    /**
     * Created by an earlier version with per-span attribute entries ({@link
     * Keys#ATTRIBUTES_INDEXED}): spans written then are in {@code 0x07}, spans written since in
     * the postings.
     */
    ATTRIBUTE_ENTRIES,
    /** Created by a version without an attribute index: some spans have no attribute entries. */
    NONE
  }

  /** Catalog names (see {@link BatchIndexer}) whose keys are durable in this partition. */
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

  /** How the spans here are indexed. */
  Index index(RocksDB db) throws RocksDBException {
    Index i = index;
    if (i == null) {
      i = db.get(handle, Keys.POSTINGS_INDEXED) != null ? Index.POSTINGS
          : db.get(handle, Keys.ATTRIBUTES_INDEXED) != null ? Index.ATTRIBUTE_ENTRIES
          : Index.NONE;
      index = i;
    }
    return i;
  }

  /** The span stored here under this key (see {@link Keys#span}) with this value. */
  Span decode(RocksDB db, byte[] spanKey, byte[] value) {
    return SpanCodec.decode(Keys.traceIdAt(spanKey, 1), Keys.spanIdAt(spanKey, 1),
        Keys.kindAt(spanKey, 1), value, id -> resources.get(db, handle, id));
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
