package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open database with its column families (default, partitions, foreign) and the native
 * options, cache and the like it was opened with: the tuning, the open (with the format marker
 * check), and the teardown.
 */
final class RocksResources {

  /** The store's logger: its parts log under one name. */
  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  /** Block cache shared by every partition. */
  static final long BLOCK_CACHE_BYTES = 64L << 20;
  /**
   * All memtables together; charged to the same cache, so blocks + memtables stay bounded. Room
   * for four full memtables: with two, a sustained 60 s run stalled whenever the flush fell
   * behind (57k → 70k spans/s on average with four, and fewer slow seconds).
   */
  static final long MEMTABLE_BUDGET_BYTES = 128L << 20;
  /** One partition's memtable before it is flushed. */
  static final long WRITE_BUFFER_BYTES = 32L << 20;
  /** Memtables of a partition, the active one and those waiting for their flush. */
  static final int WRITE_BUFFERS = 4;
  /**
   * Level-0 files that start a compaction into the level below: 8 rather than RocksDB's 4, so
   * each compaction merges more at once (sustained ingest 78–80k → 87–90k spans/s).
   */
  static final int L0_COMPACTION_FILES = 8;
  /**
   * Level-0 files that slow, then stop, writes: above RocksDB's 20 and 36, since the levels
   * below catch up within seconds, and a stalled write holds a receiver's request.
   */
  static final int L0_SLOWDOWN_FILES = 40;
  static final int L0_STOP_FILES = 60;
  /** Log size that forces flushes of the partitions pinning the oldest log file. */
  static final long MAX_TOTAL_WAL_BYTES = 256L << 20;
  /** Data block size; larger blocks compress repeated resource attributes better. */
  static final long BLOCK_BYTES = 16L << 10;
  static final double BLOOM_BITS_PER_KEY = 10;

  private static final byte[] FORMAT_KEY = "strand.format".getBytes(StandardCharsets.US_ASCII);
  /**
   * 3 since the time indexes hold span groups (2: span values name their resource by dictionary
   * id, and attribute postings replaced the per-span entries): a version that writes 2 or 1
   * could not read those entries, so it must refuse the store.
   */
  private static final byte FORMAT_VERSION = 3;
  /**
   * Read, and upgraded on open: partitions written then keep their entries (per span in the time
   * indexes; with 1, per span and term in the attribute index), which are read as they are.
   */
  private static final byte[] EARLIER_FORMATS = {1, 2};

  private final Path path;
  final RocksDB db;
  final ColumnFamilyHandle defaultCf;
  final Partitions partitions;
  /** Column families this version does not know; opened because RocksDB requires it. */
  private final List<ColumnFamilyHandle> foreignCfs;
  final WriteOptions syncWrite;
  /** For writes made durable by a later synced one (postings; see {@link PendingPostings}). */
  final WriteOptions plainWrite;
  /** For sealing compactions; cancelled on close. */
  final CompactRangeOptions sealOptions;
  /** Options, cache and the like, closed after the database in reverse order. */
  private final List<AutoCloseable> natives;

  private RocksResources(Path path, RocksDB db, ColumnFamilyHandle defaultCf,
      Partitions partitions, List<ColumnFamilyHandle> foreignCfs, WriteOptions syncWrite,
      WriteOptions plainWrite, CompactRangeOptions sealOptions, List<AutoCloseable> natives) {
    this.path = path;
    this.db = db;
    this.defaultCf = defaultCf;
    this.partitions = partitions;
    this.foreignCfs = foreignCfs;
    this.syncWrite = syncWrite;
    this.plainWrite = plainWrite;
    this.sealOptions = sealOptions;
    this.natives = natives;
  }

  /**
   * Opens (creating when missing) the database in {@code config.path()}: LZ4 at every level;
   * sealing switches a partition's bottom level to ZSTD ({@link SealCompression}).
   *
   * @throws StorageException when the directory cannot be created or the database opened
   */
  static RocksResources open(RocksDbConfig config) {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(config.path());
    } catch (IOException e) {
      throw new StorageException("cannot create storage directory " + config.path(), e);
    }
    try {
      return openDatabase(config);
    } catch (RocksDBException e) {
      throw new StorageException(
          "cannot open RocksDB in " + config.path() + ": " + e.getMessage(), e);
    }
  }

  private static RocksResources openDatabase(RocksDbConfig config) throws RocksDBException {
    List<AutoCloseable> natives = new ArrayList<>();
    boolean opened = false;
    try {
      LRUCache cache = add(natives, new LRUCache(BLOCK_CACHE_BYTES + MEMTABLE_BUDGET_BYTES));
      // RocksJava's WriteBufferManager always charges memtables to a cache; sizing the cache
      // for both keeps blocks plus memtables within one bound.
      WriteBufferManager memtables = add(natives,
          new WriteBufferManager(MEMTABLE_BUDGET_BYTES, cache));
      ColumnFamilyOptions cfOptions = columnFamilyOptions(natives, cache);
      DBOptions dbOptions = dbOptions(natives, memtables);
      WriteOptions syncWrite = add(natives, new WriteOptions().setSync(true));
      WriteOptions plainWrite = add(natives, new WriteOptions());
      // Forced at the bottom too: files already there are LZ4 and must be rewritten as ZSTD.
      CompactRangeOptions sealOptions = add(natives, new CompactRangeOptions()
          .setExclusiveManualCompaction(false)
          .setBottommostLevelCompaction(
              CompactRangeOptions.BottommostLevelCompaction.kForceOptimized));

      String path = config.path().toString();
      List<byte[]> names;
      if (Files.exists(config.path().resolve("CURRENT"))) {
        try (Options listing = new Options()) {
          names = RocksDB.listColumnFamilies(listing, path);
        }
      } else {
        names = List.of(RocksDB.DEFAULT_COLUMN_FAMILY);
      }
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(dbOptions, path, descriptors, handles);
      try {
        ColumnFamilyHandle defaultCf = null;
        List<ColumnFamilyHandle> foreign = new ArrayList<>();
        List<Partition> found = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          String name = new String(names.get(i), StandardCharsets.UTF_8);
          Long start = Partition.parseName(name);
          if (Arrays.equals(names.get(i), RocksDB.DEFAULT_COLUMN_FAMILY)) {
            defaultCf = handles.get(i);
          } else if (start != null) {
            found.add(new Partition(start, handles.get(i)));
          } else {
            log.warn("ignoring unknown column family {} in {}", name, path);
            foreign.add(handles.get(i));
          }
        }
        checkFormat(db, defaultCf, syncWrite, path);
        RocksResources resources = new RocksResources(config.path(), db, defaultCf,
            new Partitions(config, db, cfOptions, found), foreign, syncWrite, plainWrite,
            sealOptions, natives);
        opened = true;
        log.info("opened RocksDB span store in {} with {} partitions", path, found.size());
        return resources;
      } finally {
        if (!opened) {
          handles.forEach(ColumnFamilyHandle::close);
          db.close();
        }
      }
    } finally {
      if (!opened) {
        closeAll(natives);
      }
    }
  }

  private static ColumnFamilyOptions columnFamilyOptions(List<AutoCloseable> natives,
      LRUCache cache) {
    BloomFilter bloom = add(natives, new BloomFilter(BLOOM_BITS_PER_KEY));
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(cache)
        .setFilterPolicy(bloom)
        // Filters hold trace-id prefixes only: getTrace seeks a prefix, and point reads of a
        // span key check the prefix too. Whole keys would double the filter for no reader.
        .setWholeKeyFiltering(false)
        .setBlockSize(BLOCK_BYTES)
        // With one set of tables per partition, index and filter blocks live in the cache
        // (bounded) rather than on the heap of every open table (unbounded).
        .setCacheIndexAndFilterBlocks(true)
        .setCacheIndexAndFilterBlocksWithHighPriority(true);
    // LZ4 everywhere while a partition takes writes; its sealing compaction writes ZSTD with
    // a trained dictionary (SealCompression).
    return add(natives, new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .useFixedLengthPrefixExtractor(Keys.TRACE_PREFIX_LENGTH)
        .setMemtablePrefixBloomSizeRatio(0.1)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION)
        .setWriteBufferSize(WRITE_BUFFER_BYTES)
        .setMaxWriteBufferNumber(WRITE_BUFFERS)
        .setLevel0FileNumCompactionTrigger(L0_COMPACTION_FILES)
        .setLevel0SlowdownWritesTrigger(L0_SLOWDOWN_FILES)
        .setLevel0StopWritesTrigger(L0_STOP_FILES)
        .setLevelCompactionDynamicLevelBytes(true));
  }

  private static DBOptions dbOptions(List<AutoCloseable> natives, WriteBufferManager memtables) {
    return add(natives, new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setWriteBufferManager(memtables)
        // The WAL is what makes a synced write survive kill -9: never disabled, never
        // buffered in user space (manual WAL flush off, the default, stated for the reader).
        .setManualWalFlush(false)
        .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
        // Four even on two cores: a flush and compactions of several levels run side by side
        // instead of queueing while writes stall.
        .setMaxBackgroundJobs(Math.max(4, Math.min(8,
            Runtime.getRuntime().availableProcessors())))
        .setBytesPerSync(1L << 20)
        .setKeepLogFileNum(3)
        .setMaxLogFileSize(16L << 20));
  }

  private static void checkFormat(RocksDB db, ColumnFamilyHandle defaultCf, WriteOptions sync,
      String path) throws RocksDBException {
    byte[] format = db.get(defaultCf, FORMAT_KEY);
    if (format == null || (format.length == 1
        && (format[0] == EARLIER_FORMATS[0] || format[0] == EARLIER_FORMATS[1]))) {
      db.put(defaultCf, sync, FORMAT_KEY, new byte[] {FORMAT_VERSION});
      // Flush at once: RocksDB keeps every WAL file from the oldest one holding unflushed data,
      // and nothing else would ever flush this column family, pinning the whole log forever.
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flush(fo, defaultCf);
      }
    } else if (format.length != 1 || format[0] != FORMAT_VERSION) {
      throw new RocksDBException("unsupported Strand storage format "
          + Arrays.toString(format) + " in " + path + " (this version reads "
          + Arrays.toString(EARLIER_FORMATS) + " and " + FORMAT_VERSION + ")");
    }
  }

  /** Reads the format marker: a cheap probe that the database still serves reads. */
  void readFormatMarker() throws RocksDBException {
    db.get(defaultCf, FORMAT_KEY);
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> natives, T resource) {
    natives.add(resource);
    return resource;
  }

  /** Closes the handles, the database and its options; for close, under the write lock. */
  void close() {
    db.cancelAllBackgroundWork(true);
    partitions.closeHandles();
    foreignCfs.forEach(ColumnFamilyHandle::close);
    defaultCf.close();
    try {
      db.closeE();
    } catch (RocksDBException e) {
      log.warn("closing RocksDB in {} reported: {}", path, e.getMessage());
    }
    closeAll(natives);
  }

  private static void closeAll(List<AutoCloseable> natives) {
    for (int i = natives.size() - 1; i >= 0; i--) {
      try {
        natives.get(i).close();
      } catch (Exception e) {
        log.debug("closing {} failed", natives.get(i), e);
      }
    }
  }
}
