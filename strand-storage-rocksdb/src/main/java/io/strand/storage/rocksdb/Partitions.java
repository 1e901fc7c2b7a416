package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live partitions by start time: hands them out with a reference held, creates the write
 * partition on first use, and retires partitions, dropping each once its last user is done (see
 * {@link Partition} for the reference counting).
 */
final class Partitions {

  /** The store's logger: its parts log under one name. */
  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  private static final String LIVE_SST_BYTES = "rocksdb.live-sst-files-size";

  private final RocksDbConfig config;
  private final long partitionMillis;
  private final RocksDB db;
  private final ColumnFamilyOptions cfOptions;
  private final ConcurrentSkipListMap<Long, Partition> byStart = new ConcurrentSkipListMap<>();
  private final Object createLock = new Object();
  /**
   * Test seam: runs on the creating thread after a partition's column family is created, just
   * before its first write, so a test can run retention at that point.
   */
  volatile Runnable beforeFirstWrite = () -> {};

  /** A registry of {@code found}, the partitions already in the database. */
  Partitions(RocksDbConfig config, RocksDB db, ColumnFamilyOptions cfOptions,
      List<Partition> found) {
    this.config = config;
    this.partitionMillis = config.partitionLength().toMillis();
    this.db = db;
    this.cfOptions = cfOptions;
    for (Partition p : found) {
      byStart.put(p.startMillis, p);
    }
  }

  int size() {
    return byStart.size();
  }

  /** The database, for readers decoding spans (see {@link Partition#decode}). */
  RocksDB db() {
    return db;
  }

  /** The live partitions, oldest first, without references; for retention. */
  List<Partition> oldestFirst() {
    return new ArrayList<>(byStart.values());
  }

  /** A live view of the partitions older than the newest one, oldest first. */
  Collection<Partition> olderThanNewest() {
    Map.Entry<Long, Partition> newest = byStart.lastEntry();
    return newest == null ? List.of() : byStart.headMap(newest.getKey()).values();
  }

  /** References to every live partition, newest first; give them back with releaseAll. */
  List<Partition> acquireNewestFirst() {
    List<Partition> out = new ArrayList<>(byStart.size());
    for (Partition p : byStart.descendingMap().values()) {
      if (p.tryAcquire()) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Walks every partition, newest first, from {@code prefix} on within the bounds of {@code ro},
   * holding references meanwhile; {@code visit} sees the iterator at each entry and returns
   * false to leave that partition.
   */
  void scanNewestFirst(byte[] prefix, ReadOptions ro, Predicate<RocksIterator> visit)
      throws RocksDBException {
    scanNewestFirst(prefix, ro, (p, it) -> visit.test(it));
  }

  /** {@link #scanNewestFirst(byte[], ReadOptions, Predicate)}, telling the partition too. */
  void scanNewestFirst(byte[] prefix, ReadOptions ro,
      BiPredicate<Partition, RocksIterator> visit) throws RocksDBException {
    List<Partition> parts = acquireNewestFirst();
    try {
      for (Partition p : parts) {
        try (RocksIterator it = db.newIterator(p.handle, ro)) {
          it.seek(prefix);
          while (it.isValid() && visit.test(p, it)) {
            it.next();
          }
          it.status();
        }
      }
    } finally {
      releaseAll(parts);
    }
  }

  /** Every key starting with {@code prefix} in one partition, in order; the caller holds it. */
  static List<byte[]> keysWithPrefix(RocksDB db, Partition p, byte[] prefix)
      throws RocksDBException {
    List<byte[]> out = new ArrayList<>();
    try (Bounds b = Bounds.prefix(prefix);
         RocksIterator it = db.newIterator(p.handle, b.options)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        out.add(it.key());
      }
      it.status();
    }
    return out;
  }

  void releaseAll(List<Partition> parts) {
    parts.forEach(this::release);
  }

  void release(Partition p) {
    if (p.release()) {
      dispose(p);
    }
  }

  /**
   * The partition for a write now, with a reference held: the one for the current ingest time,
   * created on first use, or the newest when that is later (the clock stepped back, or the
   * partition length changed), so that a later write always lands in a partition at least as
   * new as an earlier one.
   */
  Partition acquireForWrite() {
    while (true) {
      long target = partitionStart(config.clock().millis());
      Map.Entry<Long, Partition> newest = byStart.lastEntry();
      if (newest != null && newest.getKey() >= target) {
        Partition p = newest.getValue();
        if (p.tryAcquire()) {
          return p;
        }
        byStart.remove(newest.getKey(), p); // retired under us; the next round moves on
        continue;
      }
      synchronized (createLock) {
        // Read the clock again under the lock. A reading taken before a long stall could name
        // a partition retention has retired meanwhile (its drop may wait for readers, so the
        // name is still taken); a fresh reading is newer than any partition retention drops.
        target = partitionStart(config.clock().millis());
        newest = byStart.lastEntry();
        if (newest == null || newest.getKey() < target) {
          create(target);
        }
      }
    }
  }

  private long partitionStart(long epochMillis) {
    return epochMillis - Math.floorMod(epochMillis, partitionMillis);
  }

  /**
   * Creates the column family of a new partition, writes what a partition starts with, and only
   * then publishes it. Until it is in {@link #byStart}, nothing else can reach it, retention
   * included, so these writes cannot meet a drop. Once published, every write holds a reference
   * (see {@link Partition}).
   */
  private void create(long start) {
    String name = Partition.nameOf(start);
    try {
      ColumnFamilyHandle handle = db.createColumnFamily(new ColumnFamilyDescriptor(
          name.getBytes(StandardCharsets.UTF_8), cfOptions));
      beforeFirstWrite.run();
      markIndexed(name, handle);
      byStart.put(start, new Partition(start, handle));
      log.debug("created partition {}", name);
    } catch (RocksDBException e) {
      // "Column family already exists" is only possible when the clock stepped back by more
      // than the retention age onto a partition still being dropped; a retry succeeds later.
      throw new StorageException("cannot create partition " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@link Keys#POSTINGS_INDEXED} before any span, while the partition is not published
   * yet. Unsynced: the next synced batch makes it durable, as the log is sequential. Should it
   * fail, searches by attribute scan this partition's time index: slower, still exact.
   */
  private void markIndexed(String name, ColumnFamilyHandle handle) {
    try {
      db.put(handle, Keys.POSTINGS_INDEXED, new byte[0]);
    } catch (RocksDBException e) {
      log.warn("partition {} will be searched without its attribute index: {}", name,
          e.getMessage());
    }
  }

  /** Removes a partition from service; it is dropped now or when its last reader finishes. */
  void retire(Partition p, String reason, long bytes) {
    byStart.remove(p.startMillis, p);
    boolean now = p.retire();
    if (now) {
      dispose(p);
    }
    log.info("dropped partition {} [{} .. {}) by {}: {} bytes of table files freed{}", p.name,
        Instant.ofEpochMilli(p.startMillis), Instant.ofEpochMilli(p.startMillis + partitionMillis),
        reason, bytes, now ? "" : " once running reads finish");
  }

  /** Drops and frees a retired partition once nothing uses it; caller holds the read lock. */
  private void dispose(Partition p) {
    try {
      db.dropColumnFamily(p.handle);
    } catch (RocksDBException e) {
      log.warn("dropping column family {} failed: {}", p.name, e.getMessage());
    } finally {
      p.handle.close();
    }
  }

  /**
   * When a partition stops taking writes: the next partition's start, or its own nominal end.
   * The smaller bound matters only after the partition length was shortened between runs.
   */
  long end(Partition p, Partition next) {
    long nominal = p.startMillis + partitionMillis;
    return next == null ? nominal : Math.min(nominal, next.startMillis);
  }

  /** Live table file bytes of a partition: what dropping it frees. */
  long tableBytes(Partition p) throws RocksDBException {
    return db.getLongProperty(p.handle, LIVE_SST_BYTES);
  }

  /** Closes every handle and forgets the partitions; for close, under the write lock. */
  void closeHandles() {
    for (Partition p : byStart.values()) {
      p.handle.close();
    }
    byStart.clear();
  }
}
