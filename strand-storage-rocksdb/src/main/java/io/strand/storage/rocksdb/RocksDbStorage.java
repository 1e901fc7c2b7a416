package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.CheckResult;
import io.strand.storage.Operation;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.SpanOrder;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageComponent;
import io.strand.storage.StorageException;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
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
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
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
 * <p>Open with {@link #open(RocksDbConfig)}; {@link #close()} releases everything.
 */
public final class RocksDbStorage implements StorageComponent {

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
  private static final byte FORMAT_VERSION = 1;
  private static final byte[] EMPTY = new byte[0];
  private static final String LIVE_SST_BYTES = "rocksdb.live-sst-files-size";

  private final RocksDbConfig config;
  private final long partitionMillis;
  private final RocksDB db;
  private final ColumnFamilyHandle defaultCf;
  /** Column families this version does not know; opened because RocksDB requires it. */
  private final List<ColumnFamilyHandle> foreignCfs;
  private final ColumnFamilyOptions cfOptions;
  /** Options, cache and the like, closed after the database in reverse order. */
  private final List<AutoCloseable> natives;
  private final WriteOptions syncWrite;
  private final ConcurrentSkipListMap<Long, Partition> partitions;
  private final CompactRangeOptions sealOptions;

  /** Read side: any operation on the database. Write side: close. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final Object createLock = new Object();
  private final Object retentionLock = new Object();
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Set first thing in close; operations check it under the read lock. */
  private volatile boolean closed;
  private volatile ScheduledExecutorService maintenance;

  private final SpanWriter spanWriter = this::write;
  private final TraceReader traceReader = this::getTrace;
  private final TraceSearch traceSearch = this::findTraceIds;
  private final ServiceCatalog serviceCatalog = new ServiceCatalog() {
    @Override
    public List<String> services() {
      return listServices();
    }

    @Override
    public List<Operation> operations(String service) {
      return listOperations(service);
    }
  };

  private RocksDbStorage(RocksDbConfig config, RocksDB db, ColumnFamilyHandle defaultCf,
      List<ColumnFamilyHandle> foreignCfs, ConcurrentSkipListMap<Long, Partition> partitions,
      ColumnFamilyOptions cfOptions, WriteOptions syncWrite, CompactRangeOptions sealOptions,
      List<AutoCloseable> natives) {
    this.config = config;
    this.partitionMillis = config.partitionLength().toMillis();
    this.db = db;
    this.defaultCf = defaultCf;
    this.foreignCfs = foreignCfs;
    this.partitions = partitions;
    this.cfOptions = cfOptions;
    this.syncWrite = syncWrite;
    this.sealOptions = sealOptions;
    this.natives = natives;
  }

  /**
   * Opens (creating when missing) the store in {@code config.path()}, reopening every partition
   * found there, and starts the background retention task.
   *
   * @throws StorageException when the directory cannot be created or the database opened
   */
  public static RocksDbStorage open(RocksDbConfig config) {
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(config.path());
    } catch (IOException e) {
      throw new StorageException("cannot create storage directory " + config.path(), e);
    }
    RocksDbStorage storage;
    try {
      storage = open(config, CompressionType.ZSTD_COMPRESSION);
    } catch (RocksDBException e) {
      if (!String.valueOf(e.getMessage()).contains("not linked")) {
        throw new StorageException(
            "cannot open RocksDB in " + config.path() + ": " + e.getMessage(), e);
      }
      log.warn("ZSTD is not available in this RocksDB build ({}); using LZ4 for all levels",
          e.getMessage());
      try {
        storage = open(config, CompressionType.LZ4_COMPRESSION);
      } catch (RocksDBException e2) {
        throw new StorageException(
            "cannot open RocksDB in " + config.path() + ": " + e2.getMessage(), e2);
      }
    }
    storage.startMaintenance();
    return storage;
  }

  private static RocksDbStorage open(RocksDbConfig config, CompressionType bottommost)
      throws RocksDBException {
    List<AutoCloseable> natives = new ArrayList<>();
    boolean opened = false;
    try {
      LRUCache cache = add(natives, new LRUCache(BLOCK_CACHE_BYTES + MEMTABLE_BUDGET_BYTES));
      // RocksJava's WriteBufferManager always charges memtables to a cache; sizing the cache
      // for both keeps blocks plus memtables within one bound.
      WriteBufferManager memtables = add(natives,
          new WriteBufferManager(MEMTABLE_BUDGET_BYTES, cache));
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
      ColumnFamilyOptions cfOptions = add(natives, new ColumnFamilyOptions()
          .setTableFormatConfig(table)
          .useFixedLengthPrefixExtractor(Keys.TRACE_PREFIX_LENGTH)
          .setMemtablePrefixBloomSizeRatio(0.1)
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setBottommostCompressionType(bottommost)
          .setBottommostCompressionOptions(bottomCompression)
          .setWriteBufferSize(WRITE_BUFFER_BYTES)
          .setLevelCompactionDynamicLevelBytes(true));
      DBOptions dbOptions = add(natives, new DBOptions()
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
      WriteOptions syncWrite = add(natives, new WriteOptions().setSync(true));
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
        ConcurrentSkipListMap<Long, Partition> partitions = new ConcurrentSkipListMap<>();
        for (int i = 0; i < names.size(); i++) {
          String name = new String(names.get(i), StandardCharsets.UTF_8);
          Long start = Partition.parseName(name);
          if (Arrays.equals(names.get(i), RocksDB.DEFAULT_COLUMN_FAMILY)) {
            defaultCf = handles.get(i);
          } else if (start != null) {
            partitions.put(start, new Partition(start, handles.get(i)));
          } else {
            log.warn("ignoring unknown column family {} in {}", name, path);
            foreign.add(handles.get(i));
          }
        }
        checkFormat(db, defaultCf, syncWrite, path);
        RocksDbStorage storage = new RocksDbStorage(config, db, defaultCf, foreign, partitions,
            cfOptions, syncWrite, sealOptions, natives);
        opened = true;
        log.info("opened RocksDB span store in {} with {} partitions", path, partitions.size());
        return storage;
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

  private static void checkFormat(RocksDB db, ColumnFamilyHandle defaultCf, WriteOptions sync,
      String path) throws RocksDBException {
    byte[] format = db.get(defaultCf, FORMAT_KEY);
    if (format == null) {
      db.put(defaultCf, sync, FORMAT_KEY, new byte[] {FORMAT_VERSION});
      // Flush at once: RocksDB keeps every WAL file from the oldest one holding unflushed data,
      // and nothing else would ever flush this column family, pinning the whole log forever.
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flush(fo, defaultCf);
      }
    } else if (format.length != 1 || format[0] != FORMAT_VERSION) {
      throw new RocksDBException("unsupported Strand storage format "
          + Arrays.toString(format) + " in " + path + " (this version reads " + FORMAT_VERSION
          + ")");
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> natives, T resource) {
    natives.add(resource);
    return resource;
  }

  private void startMaintenance() {
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "strand-rocksdb-retention");
      t.setDaemon(true);
      return t;
    });
    long every = config.retentionCheckInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
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

  // ---------------------------------------------------------------- writing

  private void write(List<Span> spans) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      if (spans.isEmpty()) {
        return;
      }
      Partition p = acquireWritePartition();
      try (WriteBatch batch = new WriteBatch()) {
        ColumnFamilyHandle cf = p.handle;
        SpanCodec codec = new SpanCodec();
        Map<String, byte[]> serviceKeys = new HashMap<>();
        Set<String> newServices = new HashSet<>();
        Set<Partition.OperationName> newOperations = new HashSet<>();
        for (Span s : spans) {
          String service = s.serviceName();
          byte[] serviceBytes = serviceKeys.computeIfAbsent(service, Text::keyBytes);
          long start = s.startTimeUnixNano();
          byte[] duration = Keys.varint(s.durationNanos());
          batch.put(cf, Keys.span(s.traceId(), s.spanId(), s.kind()), codec.encode(s));
          batch.put(cf, Keys.index(Keys.serviceTimePrefix(serviceBytes), start, s.traceId(),
              s.spanId(), s.kind()), duration);
          batch.put(cf, Keys.index(Keys.TIME_PREFIX, start, s.traceId(), s.spanId(), s.kind()),
              duration);
          if (!p.knowsService(service) && newServices.add(service)) {
            batch.put(cf, Keys.service(serviceBytes), EMPTY);
          }
          Partition.OperationName op = new Partition.OperationName(service, s.name(), s.kind());
          if (!p.knowsOperation(op) && newOperations.add(op)) {
            batch.put(cf, Keys.operation(serviceBytes, s.name(), s.kind()), EMPTY);
          }
        }
        // One synced batch: durable (WAL fsync) when this returns. Concurrent synced writers
        // are group-committed by RocksDB: the leader appends every waiting batch to the WAL and
        // one fsync covers them all, so throughput scales with concurrency, not fsync latency.
        db.write(syncWrite, batch);
        p.remember(newServices, newOperations);
      } catch (RocksDBException e) {
        throw new StorageException("writing " + spans.size() + " spans to " + p.name
            + " failed: " + e.getMessage(), e);
      } finally {
        release(p);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The partition for a write now: the one for the current ingest time, created on first use,
   * or the newest when that is later (the clock stepped back, or the partition length changed),
   * so that a later write always lands in a partition at least as new as an earlier one.
   */
  private Partition acquireWritePartition() {
    while (true) {
      long target = partitionStart(config.clock().millis());
      Map.Entry<Long, Partition> newest = partitions.lastEntry();
      if (newest != null && newest.getKey() >= target) {
        Partition p = newest.getValue();
        if (p.tryAcquire()) {
          return p;
        }
        partitions.remove(newest.getKey(), p); // retired under us; the next round moves on
        continue;
      }
      synchronized (createLock) {
        // Read the clock again under the lock. A reading taken before a long stall could name
        // a partition retention has retired meanwhile (its drop may wait for readers, so the
        // name is still taken); a fresh reading is newer than any partition retention drops.
        target = partitionStart(config.clock().millis());
        newest = partitions.lastEntry();
        if (newest == null || newest.getKey() < target) {
          createPartition(target);
        }
      }
    }
  }

  private long partitionStart(long epochMillis) {
    return epochMillis - Math.floorMod(epochMillis, partitionMillis);
  }

  private void createPartition(long start) {
    String name = Partition.nameOf(start);
    try {
      ColumnFamilyHandle handle = db.createColumnFamily(new ColumnFamilyDescriptor(
          name.getBytes(StandardCharsets.UTF_8), cfOptions));
      partitions.put(start, new Partition(start, handle));
      log.debug("created partition {}", name);
    } catch (RocksDBException e) {
      // "Column family already exists" is only possible when the clock stepped back by more
      // than the retention age onto a partition still being dropped; a retry succeeds later.
      throw new StorageException("cannot create partition " + name + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- reading

  private List<Span> getTrace(TraceId traceId) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      List<Partition> parts = acquireNewestFirst();
      byte[] prefix = Keys.tracePrefix(traceId);
      record Slot(long spanId, SpanKind kind) {}
      Set<Slot> seen = new HashSet<>();
      List<Span> out = new ArrayList<>();
      try (Slice upper = new Slice(Keys.successor(prefix));
           ReadOptions ro = new ReadOptions()
               .setPrefixSameAsStart(true)
               .setTotalOrderSeek(false)
               .setIterateUpperBound(upper)) {
        for (Partition p : parts) {
          try (RocksIterator it = db.newIterator(p.handle, ro)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
              byte[] key = it.key();
              if (!Keys.startsWith(key, prefix)) {
                break;
              }
              long spanId = Keys.spanIdAt(key, 1);
              SpanKind kind = Keys.kindAt(key, 1);
              // Newest partition first: a later copy of the same span shadows older ones.
              if (seen.add(new Slot(spanId, kind))) {
                out.add(SpanCodec.decode(traceId, spanId, kind, it.value()));
              }
            }
            it.status();
          }
        }
      } catch (RocksDBException e) {
        throw new StorageException("reading trace " + traceId + " failed: " + e.getMessage(), e);
      } finally {
        releaseAll(parts);
      }
      out.sort(SpanOrder.BY_START);
      return out;
    } finally {
      lock.unlock();
    }
  }

  private List<String> listServices() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      TreeSet<String> out = new TreeSet<>();
      scanAll(new byte[] {Keys.SERVICE}, key -> out.add(Keys.serviceOf(key)));
      return List.copyOf(out);
    } finally {
      lock.unlock();
    }
  }

  private List<Operation> listOperations(String service) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      byte[] prefix = Keys.operationPrefix(Text.keyBytes(service));
      TreeSet<Operation> out = new TreeSet<>();
      scanAll(prefix, key -> out.add(
          new Operation(Keys.operationOf(key, prefix.length), Keys.operationKindOf(key))));
      return List.copyOf(out);
    } finally {
      lock.unlock();
    }
  }

  /** Calls {@code onKey} for every key starting with {@code prefix} in every partition. */
  private void scanAll(byte[] prefix, Consumer<byte[]> onKey) {
    List<Partition> parts = acquireNewestFirst();
    try (Slice lower = new Slice(prefix);
         Slice upper = new Slice(Keys.successor(prefix));
         ReadOptions ro = new ReadOptions()
             .setTotalOrderSeek(true)
             .setIterateLowerBound(lower)
             .setIterateUpperBound(upper)) {
      for (Partition p : parts) {
        try (RocksIterator it = db.newIterator(p.handle, ro)) {
          for (it.seek(prefix); it.isValid(); it.next()) {
            onKey.accept(it.key());
          }
          it.status();
        }
      }
    } catch (RocksDBException e) {
      throw new StorageException("listing names failed: " + e.getMessage(), e);
    } finally {
      releaseAll(parts);
    }
  }

  // ---------------------------------------------------------------- search

  /**
   * Merges the partitions' indexes newest-start first. The first time a trace shows up with a
   * span that passes the predicate, that span's start is the trace's sort key (nothing later is
   * left). Once {@code limit} traces are found, the scan continues only through entries tied
   * with the last one, then sorts and cuts, which settles ties by trace id.
   */
  private List<TraceId> findTraceIds(TraceQuery query) {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      List<Partition> parts = acquireNewestFirst();
      byte[] prefix = query.serviceName() != null
          ? Keys.serviceTimePrefix(Text.keyBytes(query.serviceName()))
          : Keys.TIME_PREFIX;
      List<IndexCursor> cursors = new ArrayList<>();
      try {
        PriorityQueue<IndexCursor> queue = new PriorityQueue<>(
            Comparator.comparingLong((IndexCursor c) -> c.start).reversed());
        for (int rank = 0; rank < parts.size(); rank++) {
          IndexCursor c = new IndexCursor(parts.get(rank), rank, prefix, query);
          cursors.add(c);
          if (c.first()) {
            queue.add(c);
          }
        }
        Map<TraceId, Long> found = new HashMap<>();
        long cutoff = Long.MIN_VALUE; // start of the limit-th trace found
        while (!queue.isEmpty()) {
          IndexCursor c = queue.poll();
          if (found.size() >= query.limit() && c.start < cutoff) {
            break;
          }
          if (!found.containsKey(c.traceId) && matches(c, query, parts)) {
            found.put(c.traceId, c.start);
            if (found.size() == query.limit()) {
              cutoff = c.start;
            }
          }
          if (c.next()) {
            queue.add(c);
          }
        }
        return found.entrySet().stream()
            .sorted(Map.Entry.<TraceId, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()))
            .limit(query.limit())
            .map(Map.Entry::getKey)
            .toList();
      } catch (RocksDBException e) {
        throw new StorageException("search failed: " + e.getMessage(), e);
      } finally {
        cursors.forEach(IndexCursor::close);
        releaseAll(parts);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the span an index entry points to is live and passes the predicate. An entry is
   * stale when its span was written again with another start (same partition) or into a newer
   * partition; the live copy has its own entry, so stale ones are skipped.
   */
  private boolean matches(IndexCursor c, TraceQuery query, List<Partition> newestFirst)
      throws RocksDBException {
    byte[] spanKey = c.spanKey();
    byte[] value = db.get(c.partition.handle, spanKey);
    if (value == null) {
      return false;
    }
    Span span = SpanCodec.decode(c.traceId, Keys.spanIdAt(spanKey, 1), Keys.kindAt(spanKey, 1),
        value);
    if (span.startTimeUnixNano() != c.start || !query.test(span)) {
      return false;
    }
    for (int i = 0; i < c.rank; i++) {
      // Prefix blooms make this cheap when the trace never reached the newer partition.
      if (db.get(newestFirst.get(i).handle, spanKey) != null) {
        return false;
      }
    }
    return true;
  }

  /** Walks one partition's time index backwards within the query's start range. */
  private final class IndexCursor implements AutoCloseable {
    final Partition partition;
    final int rank;
    private final int prefixLength;
    private final long minDuration;
    private final long maxDuration;
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions ro;
    private final RocksIterator it;
    private byte[] key;
    long start;
    TraceId traceId;

    IndexCursor(Partition partition, int rank, byte[] prefix, TraceQuery q) {
      this.partition = partition;
      this.rank = rank;
      this.prefixLength = prefix.length;
      this.minDuration = q.minDurationNanos();
      this.maxDuration = q.maxDurationNanos();
      this.lower = new Slice(Keys.indexBound(prefix, q.startTimeMinNanos()));
      this.upper = new Slice(Keys.successor(Keys.indexBound(prefix, q.startTimeMaxNanos())));
      this.ro = new ReadOptions()
          .setTotalOrderSeek(true)
          .setIterateLowerBound(lower)
          .setIterateUpperBound(upper);
      this.it = db.newIterator(partition.handle, ro);
    }

    boolean first() throws RocksDBException {
      it.seekToLast();
      return settle();
    }

    boolean next() throws RocksDBException {
      it.prev();
      return settle();
    }

    /** Moves back to the first entry whose duration is in range. */
    private boolean settle() throws RocksDBException {
      for (; it.isValid(); it.prev()) {
        long duration = Keys.readVarint(it.value());
        if (duration >= minDuration && duration <= maxDuration) {
          key = it.key();
          start = Keys.indexStart(key, prefixLength);
          traceId = Keys.traceIdAt(key, prefixLength + 8);
          return true;
        }
      }
      it.status();
      return false;
    }

    byte[] spanKey() {
      return Keys.spanFromIndex(key, prefixLength + 8);
    }

    @Override
    public void close() {
      it.close();
      ro.close();
      lower.close();
      upper.close();
    }
  }

  // ---------------------------------------------------------------- partitions

  private List<Partition> acquireNewestFirst() {
    List<Partition> out = new ArrayList<>(partitions.size());
    for (Partition p : partitions.descendingMap().values()) {
      if (p.tryAcquire()) {
        out.add(p);
      }
    }
    return out;
  }

  private void releaseAll(List<Partition> parts) {
    parts.forEach(this::release);
  }

  private void release(Partition p) {
    if (p.release()) {
      dispose(p);
    }
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

  /** Removes a partition from service; it is dropped now or when its last reader finishes. */
  private void retire(Partition p, String reason, long bytes) {
    partitions.remove(p.startMillis, p);
    boolean now = p.retire();
    if (now) {
      dispose(p);
    }
    log.info("dropped partition {} [{} .. {}) by {}: {} bytes of table files freed{}", p.name,
        Instant.ofEpochMilli(p.startMillis), Instant.ofEpochMilli(p.startMillis + partitionMillis),
        reason, bytes, now ? "" : " once running reads finish");
  }

  /**
   * Applies retention now: drops every partition whose end is older than the maximum age, then,
   * while the partitions' table files exceed the byte limit, the oldest partition, never the
   * newest. The background task calls this every {@link RocksDbConfig#retentionCheckInterval()};
   * tests and operators may call it directly.
   *
   * @throws StorageException when the store is closed or a size cannot be read
   */
  public void enforceRetention() {
    synchronized (retentionLock) {
      Lock lock = lifecycle.readLock();
      lock.lock();
      try {
        ensureOpen();
        long now = config.clock().millis();
        long maxAge = config.retentionMaxAge().toMillis();
        long cutoff = now - maxAge;
        List<Partition> live = new ArrayList<>(partitions.values());
        List<Partition> kept = new ArrayList<>();
        for (int i = 0; i < live.size(); i++) {
          Partition p = live.get(i);
          long end = end(p, i + 1 < live.size() ? live.get(i + 1) : null);
          if (end <= cutoff) {
            retire(p, "age (ended " + Instant.ofEpochMilli(end) + ", older than "
                + config.retentionMaxAge() + ")", tableBytes(p));
          } else {
            kept.add(p);
          }
        }
        long[] sizes = new long[kept.size()];
        long total = 0;
        for (int i = 0; i < kept.size(); i++) {
          sizes[i] = tableBytes(kept.get(i));
          total += sizes[i];
        }
        for (int i = 0; i < kept.size() - 1 && total > config.retentionMaxBytes(); i++) {
          retire(kept.get(i), "size (" + total + " bytes over the limit of "
              + config.retentionMaxBytes() + ")", sizes[i]);
          total -= sizes[i];
        }
      } catch (RocksDBException e) {
        throw new StorageException("enforcing retention failed: " + e.getMessage(), e);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * When a partition stops taking writes: the next partition's start, or its own nominal end.
   * The smaller bound matters only after the partition length was shortened between runs.
   */
  private long end(Partition p, Partition next) {
    long nominal = p.startMillis + partitionMillis;
    return next == null ? nominal : Math.min(nominal, next.startMillis);
  }

  private long tableBytes(Partition p) throws RocksDBException {
    return db.getLongProperty(p.handle, LIVE_SST_BYTES);
  }

  /** Partitions, oldest first, with the table bytes each holds. */
  public List<PartitionInfo> partitions() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      List<Partition> parts = acquireNewestFirst();
      try {
        List<PartitionInfo> out = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) {
          Partition p = parts.get(i);
          long end = end(p, i > 0 ? parts.get(i - 1) : null);
          out.add(new PartitionInfo(p.name, Instant.ofEpochMilli(p.startMillis),
              Instant.ofEpochMilli(end), tableBytes(p)));
        }
        return out;
      } catch (RocksDBException e) {
        throw new StorageException("reading partition sizes failed: " + e.getMessage(), e);
      } finally {
        releaseAll(parts);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Bytes the store occupies on disk: the sizes of every file in its directory (tables,
   * write-ahead log, manifest, RocksDB's own logs). For metrics and benchmarks; retention
   * budgets table files only (see {@link PartitionInfo#tableBytes()}).
   */
  public long diskBytes() {
    long[] total = {0};
    try {
      // RocksDB creates and deletes files while we walk: a file that vanished counts as zero.
      Files.walkFileTree(config.path(), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new StorageException("cannot measure " + config.path() + ": " + e.getMessage(), e);
    }
    return total[0];
  }

  /** Turns every memtable into table files, waiting; for tests, benchmarks and backups. */
  public void flush() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      List<Partition> parts = acquireNewestFirst();
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        db.flush(fo, defaultCf);
        for (Partition p : parts) {
          db.flush(fo, p.handle);
        }
      } catch (RocksDBException e) {
        throw new StorageException("flush failed: " + e.getMessage(), e);
      } finally {
        releaseAll(parts);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Flushes and fully compacts every partition, waiting; for benchmarks and tests. */
  public void compact() {
    flush();
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      List<Partition> parts = acquireNewestFirst();
      try (CompactRangeOptions full = new CompactRangeOptions()
          .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
        for (Partition p : parts) {
          db.compactRange(p.handle, null, null, full);
        }
      } catch (RocksDBException e) {
        throw new StorageException("compaction failed: " + e.getMessage(), e);
      } finally {
        releaseAll(parts);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The background task: retention, then sealing partitions that stopped taking writes. */
  private void maintain() {
    try {
      enforceRetention();
      sealInactivePartitions();
    } catch (RuntimeException e) {
      if (!closed) {
        log.warn("storage maintenance failed; retrying in {}",
            config.retentionCheckInterval(), e);
      }
    }
  }

  /**
   * Flushes and compacts, once, each partition that no longer takes writes: frees its memtable
   * and the log files it pins, and rewrites it as one sorted run at the bottom level (ZSTD), so a
   * trace lookup probes one set of filters per old partition.
   */
  private void sealInactivePartitions() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      Map.Entry<Long, Partition> newest = partitions.lastEntry();
      if (newest == null) {
        return;
      }
      try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
        for (Partition p : partitions.headMap(newest.getKey()).values()) {
          if (closed) {
            return;
          }
          if (p.sealed || !p.tryAcquire()) {
            continue;
          }
          try {
            db.flush(fo, p.handle);
            db.compactRange(p.handle, null, null, sealOptions);
            p.sealed = true;
            log.debug("sealed partition {}", p.name);
          } catch (RocksDBException e) {
            if (!closed) {
              log.warn("sealing partition {} failed: {}", p.name, e.getMessage());
            }
          } finally {
            release(p);
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public CheckResult check() {
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      if (closed) {
        return CheckResult.failed("RocksDB storage in " + config.path() + " is closed");
      }
      db.get(defaultCf, FORMAT_KEY);
      return CheckResult.OK;
    } catch (RocksDBException e) {
      return CheckResult.failed("RocksDB storage in " + config.path() + " cannot read: "
          + e.getMessage());
    } finally {
      lock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StorageException("RocksDB storage in " + config.path() + " is closed");
    }
  }

  /**
   * Stops the retention task (cancelling a running compaction), waits for running operations,
   * then closes handles, the database and its options. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    try {
      sealOptions.setCanceled(true);
    } catch (RuntimeException e) {
      log.debug("cancelling compaction failed", e);
    }
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
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      db.cancelAllBackgroundWork(true);
      for (Partition p : partitions.values()) {
        p.handle.close();
      }
      partitions.clear();
      foreignCfs.forEach(ColumnFamilyHandle::close);
      defaultCf.close();
      try {
        db.closeE();
      } catch (RocksDBException e) {
        log.warn("closing RocksDB in {} reported: {}", config.path(), e.getMessage());
      }
      closeAll(natives);
      log.info("closed RocksDB span store in {}", config.path());
    } finally {
      lock.unlock();
    }
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

  @Override
  public String toString() {
    return "RocksDbStorage[" + config.path() + ", " + partitions.size() + " partitions]";
  }
}
