package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import io.strand.storage.TraceQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

  private static final long MS = 1_000_000L;
  private static final Instant HOUR0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void partitionsOlderThanTheMaximumAgeAreDropped() {
    MutableClock clock = new MutableClock(HOUR0.plusSeconds(60));
    RocksDbConfig config = RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofHours(1))
        .retentionMaxAge(Duration.ofHours(2))
        .clock(clock)
        .build();
    TraceId[] ids = {new TraceId(1, 1), new TraceId(1, 2), new TraceId(1, 3)};
    try (RocksDbStorage s = RocksDbStorage.open(config)) {
      for (int hour = 0; hour < 3; hour++) {
        s.spanWriter().write(List.of(span(ids[hour], "svc" + hour, T0 + hour * MS)));
        clock.advance(Duration.ofHours(1));
      }
      assertThat(s.partitions()).hasSize(3);

      // Now 03:01; the first partition ended 01:00, more than 2 h ago; the second ended 02:00.
      s.enforceRetention();

      assertThat(s.partitions()).extracting(PartitionInfo::name).containsExactly(
          "p-" + HOUR0.plus(Duration.ofHours(1)).toEpochMilli(),
          "p-" + HOUR0.plus(Duration.ofHours(2)).toEpochMilli());
      assertThat(s.traceReader().getTrace(ids[0])).isEmpty();
      assertThat(s.traceReader().getTrace(ids[1])).hasSize(1);
      assertThat(s.traceReader().getTrace(ids[2])).hasSize(1);
      assertThat(s.serviceCatalog().services()).containsExactly("svc1", "svc2");
      assertThat(s.traceSearch().findTraceIds(TraceQuery.builder().build()))
          .containsExactly(ids[2], ids[1]);

      // Nothing is due yet: a second pass keeps both.
      s.enforceRetention();
      assertThat(s.partitions()).hasSize(2);

      clock.advance(Duration.ofHours(5));
      s.enforceRetention();
      assertThat(s.partitions()).isEmpty();
      // Writing again starts a fresh partition.
      s.spanWriter().write(List.of(span(ids[0], "again", T0)));
      assertThat(s.traceReader().getTrace(ids[0])).hasSize(1);
      assertThat(s.partitions()).hasSize(1);
    }
    // The column families are gone from disk, not just hidden.
    try (RocksDbStorage s = RocksDbStorage.open(config)) {
      assertThat(s.partitions()).hasSize(1);
      assertThat(s.traceReader().getTrace(ids[2])).isEmpty();
    }
  }

  @Test
  void theOldestPartitionsGoFirstWhenTheStoreIsTooBig() {
    MutableClock clock = new MutableClock(HOUR0);
    // A partition here is about 450 kB: 500 spans of ten random attributes, each in the span
    // and in the attribute index.
    long maxBytes = 1_000_000;
    RocksDbConfig config = RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofMinutes(1))
        .retentionMaxBytes(maxBytes)
        .clock(clock)
        .build();
    Random r = new Random(3);
    int partitions = 6;
    List<List<TraceId>> written = new ArrayList<>();
    try (RocksDbStorage s = RocksDbStorage.open(config)) {
      for (int p = 0; p < partitions; p++) {
        List<TraceId> ids = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
          List<Span> spans = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            TraceId id = new TraceId(p + 1, r.nextLong() | 1);
            ids.add(id);
            spans.add(noisySpan(r, id, "svc" + p));
          }
          s.spanWriter().write(spans);
        }
        written.add(ids);
        clock.advance(Duration.ofMinutes(1));
      }
      s.flush();
      List<PartitionInfo> before = s.partitions();
      long total = before.stream().mapToLong(PartitionInfo::tableBytes).sum();
      long diskBefore = s.diskBytes();
      assertThat(before).hasSize(partitions);
      assertThat(before).allSatisfy(p -> assertThat(p.tableBytes()).isPositive());
      assertThat(total).as("the test must overflow the limit").isGreaterThan(2 * maxBytes);
      assertThat(diskBefore).isGreaterThanOrEqualTo(total);

      s.enforceRetention();

      List<PartitionInfo> after = s.partitions();
      long kept = after.stream().mapToLong(PartitionInfo::tableBytes).sum();
      assertThat(after).isNotEmpty();
      assertThat(after).as("newest partitions survive, oldest go")
          .isEqualTo(before.subList(before.size() - after.size(), before.size()));
      assertThat(kept).isLessThanOrEqualTo(maxBytes);
      // Dropping one more (the newest kept partition's predecessor) would not have been needed:
      int dropped = before.size() - after.size();
      assertThat(kept + before.get(dropped - 1).tableBytes()).isGreaterThan(maxBytes);
      assertThat(s.diskBytes()).isLessThan(diskBefore);

      for (int p = 0; p < partitions; p++) {
        TraceId sample = written.get(p).get(0);
        assertThat(s.traceReader().getTrace(sample)).as("partition %d", p)
            .hasSize(p < dropped ? 0 : 1);
      }
    }
  }

  @Test
  void theNewestPartitionIsKeptEvenWhenItAloneIsTooBig() {
    MutableClock clock = new MutableClock(HOUR0);
    RocksDbConfig config = RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofMinutes(1))
        .retentionMaxBytes(1)
        .clock(clock)
        .build();
    Random r = new Random(5);
    try (RocksDbStorage s = RocksDbStorage.open(config)) {
      TraceId old = new TraceId(7, 1);
      TraceId fresh = new TraceId(7, 2);
      s.spanWriter().write(List.of(noisySpan(r, old, "a")));
      clock.advance(Duration.ofMinutes(1));
      s.spanWriter().write(List.of(noisySpan(r, fresh, "b")));
      s.flush();
      s.enforceRetention();
      assertThat(s.partitions()).hasSize(1);
      assertThat(s.traceReader().getTrace(old)).isEmpty();
      assertThat(s.traceReader().getTrace(fresh)).hasSize(1);
    }
  }

  /**
   * The writer creating a partition stalls after creating its column family, before writing to
   * it, while the clock runs past that partition's end plus the maximum age and retention runs.
   * Retention must not be able to drop the column family under that first write: a write to a
   * dropped column family fails, and RocksDB then stops taking any write until reopened.
   */
  @Test
  void retentionRunningWhileAPartitionIsCreatedCannotDropItUnderItsFirstWrite() {
    MutableClock clock = new MutableClock(HOUR0);
    RocksDbConfig config = RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofHours(1))
        .retentionMaxAge(Duration.ofHours(2))
        .retentionCheckInterval(Duration.ofDays(1)) // only this test applies retention
        .clock(clock)
        .build();
    TraceId first = new TraceId(9, 1);
    TraceId second = new TraceId(9, 2);
    try (RocksDbStorage s = RocksDbStorage.open(config)) {
      AtomicInteger stalls = new AtomicInteger();
      s.partitionRegistry().beforeFirstWrite = () -> {
        if (stalls.getAndIncrement() == 0) {
          // Runs on the writer's thread, at the point of creation under test: no scheduling.
          clock.advance(Duration.ofHours(5));
          s.enforceRetention();
        }
      };

      s.spanWriter().write(List.of(span(first, "svc", T0, Map.of("user", "u1"))));
      s.spanWriter().write(List.of(span(second, "svc", T0 + MS, Map.of("user", "u2"))));

      assertThat(stalls).hasValue(2); // the partition for 00:00, then the one for 05:00
      assertThat(s.traceReader().getTrace(first)).hasSize(1);
      assertThat(s.traceReader().getTrace(second)).hasSize(1);
      // Every partition got its index marker, so both walk the attribute's postings.
      TraceQuery byUser = TraceQuery.builder().attributes(Map.of("user", "u1")).build();
      assertThat(((IndexSearch) s.traceSearch()).plan(byUser)).hasSize(2)
          .allSatisfy(runs -> assertThat(runs).extracting(IndexRun::kind)
              .containsOnly(IndexRun.Kind.POSTINGS));
      assertThat(s.traceSearch().findTraceIds(byUser)).containsExactly(first);

      // The partition for 00:00 was created expired; the next pass drops it.
      s.enforceRetention();
      assertThat(s.partitions()).extracting(PartitionInfo::name)
          .containsExactly("p-" + HOUR0.plus(Duration.ofHours(5)).toEpochMilli());
      assertThat(s.traceReader().getTrace(first)).hasSize(1);
    }
  }

  @Test
  void ageRetentionRacingWritersAndReadersDoesNotFail() throws Exception {
    MutableClock clock = new MutableClock(HOUR0);
    RocksDbStorage s = race(RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofMillis(50))
        .retentionMaxAge(Duration.ofMillis(100))
        .retentionCheckInterval(Duration.ofMillis(5)) // the background task joins in
        .clock(clock)
        .build(), clock, 7, 1);
    try (s) {
      s.enforceRetention();
      // Only partitions younger than the maximum age remain.
      assertThat(s.partitions()).hasSizeLessThanOrEqualTo(3);
    }
  }

  @Test
  void sizeRetentionRacingWritersAndReadersDoesNotFail() throws Exception {
    MutableClock clock = new MutableClock(HOUR0);
    long maxBytes = 20_000;
    // Background sealing flushes every partition but the newest, so sizes are real. Fewer,
    // fuller partitions than above: creating and dropping column families stalls writers.
    RocksDbStorage s = race(RocksDbConfig.builder(dir)
        .partitionLength(Duration.ofMillis(50))
        .retentionMaxBytes(maxBytes)
        .retentionCheckInterval(Duration.ofMillis(5))
        .clock(clock)
        .build(), clock, 1, 20);
    try (s) {
      s.flush();
      s.enforceRetention();
      List<PartitionInfo> left = s.partitions();
      assertThat(left.size() == 1
          || left.stream().mapToLong(PartitionInfo::tableBytes).sum() <= maxBytes).isTrue();
    }
  }

  /**
   * Three writers, a reader and a retention caller run for two seconds while the clock races
   * ahead, so partitions are created and dropped under running operations. Returns the store,
   * still open and healthy, for the caller's final checks.
   */
  private static RocksDbStorage race(RocksDbConfig config, MutableClock clock, long tickMillis,
      int spansPerWrite) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    RocksDbStorage s = RocksDbStorage.open(config);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        int writer = w;
        tasks.add(pool.submit(() -> {
          Random r = new Random(writer);
          while (!stop.get()) {
            TraceId id = new TraceId(writer + 1, r.nextLong() | 1);
            List<Span> batch = new ArrayList<>();
            for (int i = 0; i < spansPerWrite; i++) {
              batch.add(noisySpan(r, new TraceId(writer + 1, r.nextLong() | 1), "w" + writer));
            }
            batch.set(0, noisySpan(r, id, "w" + writer));
            s.spanWriter().write(batch);
            s.traceReader().getTrace(id); // present, unless retention already took it
            writes.incrementAndGet();
          }
          return null;
        }));
      }
      tasks.add(pool.submit(() -> {
        while (!stop.get()) {
          s.traceSearch().findTraceIds(TraceQuery.builder().limit(50).build());
          s.serviceCatalog().services();
          s.traceReader().getTrace(new TraceId(1, 1));
        }
        return null;
      }));
      tasks.add(pool.submit(() -> {
        while (!stop.get()) {
          clock.advance(Duration.ofMillis(tickMillis));
          s.enforceRetention();
          s.partitions();
          s.diskBytes();
        }
        return null;
      }));
      Thread.sleep(2_000);
      stop.set(true);
      for (Future<?> f : tasks) {
        f.get(30, TimeUnit.SECONDS); // rethrows any failure
      }
      assertThat(writes.get()).isPositive();
      assertThat(s.check().ok()).isTrue();
      return s;
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private static Span span(TraceId id, String service, long start) {
    return span(id, service, start, Map.of());
  }

  private static Span span(TraceId id, String service, long start,
      Map<String, String> attributes) {
    return TestSpans.simple(id, 1, 0, service, "op", SpanKind.SERVER, start, MS, attributes);
  }

  /** A span with random attribute values, so it does not compress away. */
  private static Span noisySpan(Random r, TraceId id, String service) {
    Attributes.Builder a = Attributes.builder();
    for (int i = 0; i < 10; i++) {
      a.put("attr." + i, Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
    }
    return Span.builder(id, 1)
        .name("op")
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(T0 + r.nextInt(1_000_000))
        .endTimeUnixNano(T0 + 2_000_000)
        .attributes(a.build())
        .resource(Resource.ofService(service))
        .build();
  }
}
