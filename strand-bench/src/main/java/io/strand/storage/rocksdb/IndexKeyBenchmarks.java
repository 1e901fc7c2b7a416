package io.strand.storage.rocksdb;

import io.strand.bench.TraceGenerator;
import io.strand.model.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Index key building, the hot path of the benchmarks issue besides decoding, storage encoding
 * and TraceQL: what the store's own code builds to index realistic 512-span batches, called as
 * its write path calls it. Scores are per batch unless said otherwise; divide by 512 for per
 * span. Run with {@code ./strand bench jmh IndexKey}.
 *
 * <ul>
 *   <li>{@link #batchIndex}: on the write path, before the acknowledgement: the batch's span
 *       keys, time-index entries, pending-span list and catalog names put in a {@link
 *       WriteBatch}, and its attribute terms and start refs collected in memory ({@code
 *       BatchIndexer}, {@code SpanTerms}, {@code BatchPostings}); not written. In a partition
 *       that has taken 100 batches already, so catalog names are known and common terms dense,
 *       as while ingesting;
 *   <li>{@link #batchIndexNewPartition}: the same as a partition's first batch;
 *   <li>{@link #batchIndexKeysOnly}: as {@link #batchIndex} into a {@link WriteBatch} that keeps
 *       nothing, to tell the Java work from the JNI copy into RocksDB's native batch;
 *   <li>{@link #windowPostings}: in the background, the attribute index proper: one window of
 *       64 batches' postings (32,768 spans) merged into posting-list keys and values and
 *       written ({@code PendingPostings.flush}), to a throw-away database without its log;
 *       per window, so divide by 64 for per batch.
 * </ul>
 *
 * <p>It lives in the store's package, though in this module, to reach these package-private
 * parts of {@code strand-storage-rocksdb}, and only these: {@code new Partition(long,
 * ColumnFamilyHandle)}; {@code new BatchIndexer(Partition, WriteBatch, int)}, {@code
 * add(Span, byte[])}, {@code finish(long)} (returns {@code BatchPostings}) and {@code
 * committed()}; {@code Keys.span(TraceId, long, SpanKind)}; {@code new PendingPostings()},
 * {@code add(BatchPostings)} and {@code flush(RocksDB, ColumnFamilyHandle, WriteOptions)}. A
 * real column family of a throw-away database backs the batches, since {@code WriteBatch.put}
 * needs its handle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndexKeyBenchmarks {
  private static final int BATCH = 512;
  /** Batches the steady partition takes first: past DenseTerms.MIN_SPANS (10,000) spans. */
  private static final int WARM_BATCHES = 100;
  /** Batches of a window: PendingPostings.WINDOW_SPANS (32,768) spans. */
  private static final int WINDOW_BATCHES = 64;

  private Path dir;
  private DBOptions options;
  private WriteOptions noLog;
  private RocksDB db;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private ColumnFamilyHandle cf;
  private List<Span> batch;
  /** A partition that has taken many batches: catalog names known, common terms dense. */
  private Partition steady;
  /** The postings of a window of distinct batches, as the steady partition's writer made them. */
  private final List<BatchPostings> window = new ArrayList<>();
  private long batchNumber;

  @Setup
  public void setUp() throws IOException, RocksDBException {
    RocksDB.loadLibrary();
    dir = Files.createTempDirectory("strand-index-bench-");
    options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    noLog = new WriteOptions().setDisableWAL(true);
    db = RocksDB.open(options, dir.toString(), List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
        new ColumnFamilyDescriptor(Partition.nameOf(0).getBytes())), handles);
    cf = handles.get(1);

    TraceGenerator generator = new TraceGenerator(11, 1_700_000_000_000_000_000L);
    steady = new Partition(0, cf);
    for (int i = 0; i < WARM_BATCHES; i++) {
      try (WriteBatch wb = new WriteBatch()) {
        index(steady, next(generator), wb);
      }
    }
    for (int i = 0; i < WINDOW_BATCHES; i++) {
      try (WriteBatch wb = new WriteBatch()) {
        window.add(index(steady, next(generator), wb));
      }
    }
    batch = next(generator);
    try (WriteBatch a = new WriteBatch(); WriteBatch b = new WriteBatch()) {
      index(steady, batch, a);
      index(new Partition(0, cf), batch, b);
      System.out.printf("%nentries put per %d-span batch: %d in a steady partition, %d in a new"
          + " one%n", BATCH, a.count(), b.count());
    }
  }

  private static List<Span> next(TraceGenerator generator) {
    return new ArrayList<>(generator.spans(BATCH).subList(0, BATCH));
  }

  /** A batch's index entries and postings in a partition that has taken many batches. */
  @Benchmark
  public BatchPostings batchIndex() throws RocksDBException {
    try (WriteBatch wb = new WriteBatch()) {
      return index(steady, batch, wb);
    }
  }

  /** The same as a partition's first batch: every catalog name new, no term dense yet. */
  @Benchmark
  public BatchPostings batchIndexNewPartition() throws RocksDBException {
    try (WriteBatch wb = new WriteBatch()) {
      return index(new Partition(0, cf), batch, wb);
    }
  }

  /** As {@link #batchIndex}, but nothing is copied into RocksDB's native batch. */
  @Benchmark
  public long batchIndexKeysOnly() throws RocksDBException {
    try (KeyCounter wb = new KeyCounter()) {
      index(steady, batch, wb);
      return wb.bytes;
    }
  }

  /** One window's postings merged, keyed and written (no log); per window of 64 batches. */
  @Benchmark
  public boolean windowPostings() throws RocksDBException {
    PendingPostings pending = new PendingPostings();
    for (BatchPostings b : window) {
      pending.add(b);
    }
    return pending.flush(db, cf, noLog);
  }

  /** Indexes {@code spans} into {@code wb} as the write path does, without writing. */
  private BatchPostings index(Partition p, List<Span> spans, WriteBatch wb)
      throws RocksDBException {
    BatchIndexer indexer = new BatchIndexer(p, wb, spans.size());
    for (Span s : spans) {
      indexer.add(s, Keys.span(s.traceId(), s.spanId(), s.kind()));
    }
    BatchPostings postings = indexer.finish(batchNumber++);
    // As after a successful write: the partition remembers names and dense terms.
    indexer.committed();
    return postings;
  }

  /** A write batch that keeps nothing: it sums the lengths it is given. */
  private static final class KeyCounter extends WriteBatch {
    long bytes;

    @Override
    public void put(ColumnFamilyHandle columnFamily, byte[] key, byte[] value) {
      bytes += key.length + value.length;
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    options.close();
    noLog.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
