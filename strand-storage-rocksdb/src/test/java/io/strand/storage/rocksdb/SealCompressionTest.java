package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableProperties;

/** A partition is LZ4 while it takes writes and ZSTD once sealed (see {@link SealCompression}). */
class SealCompressionTest {

  private static final Instant HOUR0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TraceId TRACE = new TraceId(5, 6);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(HOUR0);

  @Test
  void compressionNamesOfRocksDbOldAndNewAreRead() {
    assertThat(SealCompression.isZstd("ZSTD")).isTrue();
    assertThat(SealCompression.isZstd("BuiltinV2;07;")).isTrue();
    assertThat(SealCompression.isZstd("BuiltinV2;04;")).isFalse();
    assertThat(SealCompression.isZstd("BuiltinV2;0704;")).isFalse();
    assertThat(SealCompression.isZstd("LZ4")).isFalse();
  }

  @Test
  void sealingRewritesAPartitionAsZstdOnceAndNotAgainAfterARestart() throws Exception {
    Set<String> sealedFiles;
    try (RocksDbStorage s = open()) {
      s.spanWriter().write(spans(0, 2_000));
      s.flush();
      Partition first = s.partitionRegistry().oldestFirst().getFirst();
      assertThat(compressions(s, first)).isNotEmpty().noneMatch(SealCompression::isZstd);
      // The next hour's write makes a new partition; the background task seals the first.
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(spans(2_000, 10));
      awaitTrue(() -> first.sealed);
      assertThat(compressions(s, first)).isNotEmpty().allMatch(SealCompression::isZstd);
      Partition newest = s.partitionRegistry().oldestFirst().getLast();
      s.flush();
      assertThat(compressions(s, newest)).isNotEmpty().noneMatch(SealCompression::isZstd);
      sealedFiles = tables(s, first).keySet();
      assertThat(s.traceReader().getTrace(TRACE)).hasSize(2_010);
    }
    try (RocksDbStorage s = open()) {
      Partition first = s.partitionRegistry().oldestFirst().getFirst();
      awaitTrue(() -> first.sealed);
      // Sealed before the restart: the same table files, not rewritten.
      assertThat(tables(s, first).keySet()).isEqualTo(sealedFiles);
      assertThat(s.traceReader().getTrace(TRACE)).hasSize(2_010);
    }
  }

  @Test
  void theConfiguredLevelIsTheOneSealingUses() throws Exception {
    try (RocksDbStorage s = open(3)) {
      s.spanWriter().write(spans(0, 500));
      Partition first = s.partitionRegistry().oldestFirst().getFirst();
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(spans(500, 10));
      awaitTrue(() -> first.sealed);
      assertThat(compressions(s, first)).isNotEmpty().allMatch(SealCompression::isZstd);
      // RocksDB records a column family's options, as set, in the newest OPTIONS file.
      assertThat(bottommostOptions(first.name)).contains("level=3;").contains("enabled=true;")
          .contains("max_dict_bytes=16384;");
    }
  }

  /** The {@code bottommost_compression_opts} line of a column family in the OPTIONS file. */
  private String bottommostOptions(String columnFamily) throws Exception {
    Path newest;
    try (Stream<Path> files = Files.list(dir)) {
      newest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-"))
          .max(Comparator.comparing(f -> Long.parseLong(f.getFileName().toString().substring(8))))
          .orElseThrow();
    }
    List<String> lines = Files.readAllLines(newest);
    int section = lines.indexOf("[CFOptions \"" + columnFamily + "\"]");
    assertThat(section).as("options of " + columnFamily).isNotNegative();
    return lines.subList(section, lines.size()).stream()
        .filter(l -> l.trim().startsWith("bottommost_compression_opts="))
        .findFirst().orElseThrow();
  }

  private RocksDbStorage open() {
    return open(RocksDbConfig.DEFAULT_SEALED_COMPRESSION_LEVEL);
  }

  private RocksDbStorage open(int level) {
    return RocksDbStorage.open(RocksDbConfig.builder(dir)
        .retentionCheckInterval(Duration.ofMillis(20))
        .sealedCompressionLevel(level)
        .clock(clock)
        .build());
  }

  private static List<Span> spans(int from, int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      spans.add(TestSpans.simple(TRACE, i + 1, 0, "svc-" + i % 3, "op" + i % 5,
          SpanKind.SERVER, T0 + i * 1_000L, 1_000L, Map.of("n", Integer.toString(i))));
    }
    return spans;
  }

  private static Map<String, TableProperties> tables(RocksDbStorage s, Partition p)
      throws RocksDBException {
    return s.partitionRegistry().db().getPropertiesOfAllTables(p.handle);
  }

  private static List<String> compressions(RocksDbStorage s, Partition p)
      throws RocksDBException {
    return tables(s, p).values().stream().map(TableProperties::getCompressionName).toList();
  }

  /** Polls, bounded: the background task runs every 20 ms. */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
