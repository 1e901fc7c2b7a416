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
import org.rocksdb.CompressionOptions;
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
  /** All memtables together; charged to the same cache, so blocks + memtables stay bounded. */
  static final long MEMTABLE_BUDGET_BYTES = 64L << 20;
  /** One partition's memtable before it is flushed. */
  static final long WRITE_BUFFER_BYTES = 32L << 20;
  /** Log size that forces flushes of the partitions pinning the oldest log file. */
  static final long MAX_TOTAL_WAL_BYTES = 256L << 20;
  /** Data block size; larger blocks compress repeated resource attributes better. */
  static final long BLOCK_BYTES = 16L << 10;
  static final double BLOOM_BITS_PER_KEY = 10;
  /** ZSTD dictionary per bottom-level table file. */
  static final int DICTIONARY_BYTES = 16 << 10;

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
   * Opens (creating when missing) the database in {@code config.path()} with ZSTD at the bottom
   * level, or LZ4 everywhere when this RocksDB build lacks ZSTD.
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
      return open(config, CompressionType.ZSTD_COMPRESSION);
    } catch (RocksDBException e) {
      if (!String.valueOf(e.getMessage()).contains("not linked")) {
        throw new StorageException(
            "cannot open RocksDB in " + config.path() + ": " + e.getMessage(), e);
      }
      log.warn("ZSTD is not available in this RocksDB build ({}); using LZ4 for all levels",
          e.getMessage());
      try {
        return open(config, CompressionType.LZ4_COMPRESSION);
      } catch (RocksDBException e2) {
        throw new StorageException(
            "cannot open RocksDB in " + config.path() + ": " + e2.getMessage(), e2);
      }
    }
  }

  private static RocksResources open(RocksDbConfig config, CompressionType bottommost)
      throws RocksDBException {
    List<AutoCloseable> natives = new ArrayList<>();
    boolean opened = false;
    try {
      LRUCache cache = add(natives, new LRUCache(BLOCK_CACHE_BYTES + MEMTABLE_BUDGET_BYTES));
      // RocksJava's WriteBufferManager always charges memtables to a cache; sizing the cache
      // for both keeps blocks plus memtables within one bound.
      WriteBufferManager memtables = add(natives,
          new WriteBufferManager(MEMTABLE_BUDGET_BYTES, cache));
      ColumnFamilyOptions cfOptions = columnFamilyOptions(natives, cache, bottommost);
      DBOptions dbOptions = dbOptions(natives, memtables);
      WriteOptions syncWrite = add(natives, new WriteOptions().setSync(true));
      WriteOptions plainWrite = add(natives, new WriteOptions());
      CompactRangeOptions sealOptions = add(natives, new CompactRangeOptions()
          .setExclusiveManualCompaction(false));

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
      LRUCache cache, CompressionType bottommost) {
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
    // The bottom level (all of a sealed partition) gets ZSTD with a per-file dictionary
    // trained on samples of that file: spans repeat the same resource and attribute keys,
    // which a 16 KiB block alone only partly exploits (measured: 286 → 196 bytes per span).
    CompressionOptions bottomCompression = add(natives, new CompressionOptions()
        .setEnabled(true)
        .setMaxDictBytes(bottommost == CompressionType.ZSTD_COMPRESSION ? DICTIONARY_BYTES : 0)
        .setZStdMaxTrainBytes(
            bottommost == CompressionType.ZSTD_COMPRESSION ? 100 * DICTIONARY_BYTES : 0));
    return add(natives, new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .useFixedLengthPrefixExtractor(Keys.TRACE_PREFIX_LENGTH)
        .setMemtablePrefixBloomSizeRatio(0.1)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(bottommost)
        .setBottommostCompressionOptions(bottomCompression)
        .setWriteBufferSize(WRITE_BUFFER_BYTES)
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
        .setMaxBackgroundJobs(Math.max(2, Math.min(4,
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
