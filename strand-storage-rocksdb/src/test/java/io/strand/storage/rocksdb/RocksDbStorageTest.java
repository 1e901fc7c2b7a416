package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.Operation;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.StorageComponent;
import io.strand.storage.StorageContractTest;
import io.strand.storage.StorageException;
import io.strand.storage.TestSpans;
import io.strand.storage.TraceQuery;
import io.strand.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RocksDbStorageTest extends StorageContractTest {

  private static final long MS = 1_000_000L;
  private static final Instant HOUR0 = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  protected StorageComponent open(Path dir) {
    return RocksDbStorage.open(RocksDbConfig.of(dir));
  }

  private static RocksDbStorage openAt(Path dir, MutableClock clock) {
    return RocksDbStorage.open(RocksDbConfig.builder(dir).clock(clock).build());
  }

  @Test
  void everythingSurvivesAReopen() {
    Path path = dir.resolve("reopen");
    MutableClock clock = new MutableClock(HOUR0);
    TraceId id = new TraceId(11, 12);
    Span root = TestSpans.rich(id, 1, 0, "frontend", "GET /", T0, 50 * MS);
    Span child = TestSpans.rich(id, 2, 1, "checkout", "charge", T0 + MS, 10 * MS);
    Span other = TestSpans.simple(new TraceId(13, 14), 1, 0, "db", "SELECT", SpanKind.CLIENT,
        T0 + 5 * MS, MS, Map.of());
    try (RocksDbStorage s = openAt(path, clock)) {
      s.spanWriter().write(List.of(root));
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(List.of(child, other));
      assertThat(s.partitions()).hasSize(2);
    }
    try (RocksDbStorage s = openAt(path, clock)) {
      assertThat(s.partitions()).extracting(PartitionInfo::name)
          .containsExactly("p-" + HOUR0.toEpochMilli(),
              "p-" + HOUR0.plus(Duration.ofHours(1)).toEpochMilli());
      assertThat(s.traceReader().getTrace(id)).containsExactly(root, child);
      assertThat(s.serviceCatalog().services()).containsExactly("checkout", "db", "frontend");
      assertThat(s.serviceCatalog().operations("frontend"))
          .containsExactly(new Operation("GET /", SpanKind.SERVER));
      assertThat(s.traceSearch().findTraceIds(TraceQuery.builder().build()))
          .containsExactly(new TraceId(13, 14), id);
      // Writes after a reopen continue in the newest partition.
      Span late = TestSpans.simple(id, 3, 1, "frontend", "render", SpanKind.INTERNAL,
          T0 + 2 * MS, MS, Map.of());
      s.spanWriter().write(List.of(late));
      assertThat(s.partitions()).hasSize(2);
      assertThat(s.traceReader().getTrace(id)).containsExactly(root, child, late);
    }
  }

  @Test
  void aSpanWrittenAgainInANewerPartitionShadowsTheOldCopy() {
    MutableClock clock = new MutableClock(HOUR0);
    TraceId id = new TraceId(21, 22);
    Span first = TestSpans.simple(id, 1, 0, "svc", "op", SpanKind.SERVER, T0, 10 * MS,
        Map.of("v", "1"));
    Span second = first.toBuilder()
        .attributes(Attributes.ofStrings(Map.of("v", "2")))
        .startTimeUnixNano(T0 + 3 * MS)
        .endTimeUnixNano(T0 + 50 * MS)
        .build();
    try (RocksDbStorage s = openAt(dir.resolve("shadow"), clock)) {
      s.spanWriter().write(List.of(first));
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(List.of(second));

      assertThat(s.traceReader().getTrace(id)).containsExactly(second);
      assertThat(find(s, TraceQuery.builder().attributes(Map.of("v", "1")))).isEmpty();
      assertThat(find(s, TraceQuery.builder().attributes(Map.of("v", "2")))).containsExactly(id);
      assertThat(find(s, TraceQuery.builder().maxDurationNanos(20 * MS))).isEmpty();
      assertThat(find(s, TraceQuery.builder().startTimeMaxNanos(T0 + MS))).isEmpty();
    }
  }

  @Test
  void aSpanRewrittenWithANewStartLeavesNoStaleHits() {
    TraceId id = new TraceId(31, 32);
    Span early = TestSpans.simple(id, 1, 0, "a", "op", SpanKind.SERVER, T0, MS, Map.of());
    Span moved = TestSpans.simple(id, 1, 0, "b", "op2", SpanKind.SERVER, T0 + 100 * MS, MS,
        Map.of());
    storage.spanWriter().write(List.of(early));
    storage.spanWriter().write(List.of(moved));

    assertThat(storage.traceReader().getTrace(id)).containsExactly(moved);
    assertThat(find(storage, TraceQuery.builder().startTimeMaxNanos(T0 + MS))).isEmpty();
    assertThat(find(storage, TraceQuery.builder().serviceName("a"))).isEmpty();
    assertThat(find(storage, TraceQuery.builder().serviceName("b"))).containsExactly(id);
  }

  @Test
  void searchesOverManyPartitionsAgreeWithTheReferenceStore() {
    MutableClock clock = new MutableClock(HOUR0);
    InMemoryStorage oracle = new InMemoryStorage();
    Random r = new Random(11);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add(new TraceId(r.nextLong(), r.nextLong() | 1));
    }
    String[] services = {"frontend", "checkout", "db"};
    String[] codes = {"200", "404", "503"};
    try (RocksDbStorage s = openAt(dir.resolve("many"), clock)) {
      for (int part = 0; part < 5; part++) {
        for (int batch = 0; batch < 4; batch++) {
          List<Span> spans = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            TraceId id = ids.get(r.nextInt(ids.size()));
            // Coarse start times make ties; small span ids make rewrites of the same span,
            // sometimes in a later partition, with another start, service or status.
            long start = T0 + r.nextInt(40) * MS;
            spans.add(TestSpans.simple(id, 1 + r.nextInt(6), 0,
                services[r.nextInt(services.length)], "op" + r.nextInt(3),
                SpanKind.forNumber(1 + r.nextInt(2)), start, (1 + r.nextInt(50)) * MS,
                Map.of("code", codes[r.nextInt(codes.length)])));
          }
          s.spanWriter().write(spans);
          oracle.write(spans);
        }
        clock.advance(Duration.ofHours(1));
      }
      assertThat(s.partitions()).hasSize(5);

      List<TraceQuery.Builder> queries = List.of(
          TraceQuery.builder(),
          TraceQuery.builder().serviceName("checkout"),
          TraceQuery.builder().serviceName("db").operationName("op1"),
          TraceQuery.builder().attributes(Map.of("code", "503")),
          TraceQuery.builder().serviceName("frontend").attributes(Map.of("code", "200")),
          TraceQuery.builder().minDurationNanos(10 * MS).maxDurationNanos(30 * MS),
          TraceQuery.builder().serviceName("checkout").minDurationNanos(40 * MS),
          TraceQuery.builder().startTimeMinNanos(T0 + 10 * MS).startTimeMaxNanos(T0 + 20 * MS),
          TraceQuery.builder().serviceName("db").startTimeMinNanos(T0 + 39 * MS),
          TraceQuery.builder().serviceName("nobody"));
      for (TraceQuery.Builder b : queries) {
        for (int limit : new int[] {1, 2, 3, 7, 20, 1000}) {
          TraceQuery q = b.limit(limit).build();
          assertThat(s.traceSearch().findTraceIds(q)).as(q.toString())
              .containsExactlyElementsOf(oracle.findTraceIds(q));
        }
      }
      for (TraceId id : ids) {
        assertThat(s.traceReader().getTrace(id)).as(id.toString())
            .containsExactlyElementsOf(oracle.getTrace(id));
      }
      assertThat(s.serviceCatalog().services()).isEqualTo(oracle.services());
      for (String service : services) {
        assertThat(s.serviceCatalog().operations(service))
            .isEqualTo(oracle.operations(service));
      }
    }
  }

  @Test
  void oddNamesAreListedExactly() {
    String nul = "svc\u0000evil";
    String unicode = "\u670d\u52a1\uD83D\uDE80";
    TraceId id = new TraceId(41, 42);
    storage.spanWriter().write(List.of(
        TestSpans.simple(id, 1, 0, nul, "op\u0000x", SpanKind.SERVER, T0, MS, Map.of()),
        TestSpans.simple(id, 2, 0, "svc", "plain", SpanKind.SERVER, T0, MS, Map.of()),
        TestSpans.simple(id, 3, 0, unicode, "\u00e9", SpanKind.CLIENT, T0, MS, Map.of())));
    assertThat(storage.serviceCatalog().services()).containsExactly("svc", nul, unicode);
    assertThat(storage.serviceCatalog().operations("svc"))
        .containsExactly(new Operation("plain", SpanKind.SERVER));
    assertThat(storage.serviceCatalog().operations(nul))
        .containsExactly(new Operation("op\u0000x", SpanKind.SERVER));
    assertThat(storage.serviceCatalog().operations(unicode))
        .containsExactly(new Operation("\u00e9", SpanKind.CLIENT));
    assertThat(find(storage, TraceQuery.builder().serviceName(nul))).containsExactly(id);
  }

  @Test
  void remoteServicesAreMergedAcrossPartitionsAndSurviveAReopen() {
    Path path = dir.resolve("peers");
    MutableClock clock = new MutableClock(HOUR0);
    TraceId id = new TraceId(61, 62);
    String odd = "q\u0000ueue \u670d";
    try (RocksDbStorage s = openAt(path, clock)) {
      s.spanWriter().write(List.of(peer(id, 1, "web", "redis"), peer(id, 2, "web", "redis")));
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(List.of(peer(id, 3, "web", "postgres"), peer(id, 4, "web", odd),
          peer(id, 5, "web\u0000x", "ldap")));
    }
    try (RocksDbStorage s = openAt(path, clock)) {
      assertThat(s.serviceCatalog().remoteServices("web"))
          .containsExactly("postgres", odd, "redis");
      assertThat(s.serviceCatalog().remoteServices("web\u0000x")).containsExactly("ldap");
      s.spanWriter().write(List.of(peer(id, 6, "web", "redis")));
      assertThat(s.serviceCatalog().remoteServices("web"))
          .containsExactly("postgres", odd, "redis");
    }
  }

  private static Span peer(TraceId id, long spanId, String service, String remote) {
    return TestSpans.simple(id, spanId, 0, service, "call", SpanKind.CLIENT, T0, MS,
        Map.of(ServiceCatalog.PEER_SERVICE, remote));
  }

  @Test
  void spansWithoutAServiceAreListedUnderTheDefaultName() {
    TraceId id = new TraceId(43, 44);
    Span bare = Span.builder(id, 1).name("x").resource(new Resource(Attributes.EMPTY, 0)).build();
    storage.spanWriter().write(List.of(bare));
    assertThat(storage.serviceCatalog().services()).containsExactly(Resource.UNKNOWN_SERVICE);
    assertThat(storage.traceReader().getTrace(id)).containsExactly(bare);
  }

  @Test
  void timeBoundsAreInclusiveAndNegativeTimesWork() {
    TraceId a = new TraceId(51, 1);
    TraceId b = new TraceId(51, 2);
    TraceId c = new TraceId(51, 3);
    storage.spanWriter().write(List.of(
        TestSpans.simple(a, 1, 0, "s", "op", SpanKind.SERVER, -10, 1, Map.of()),
        TestSpans.simple(b, 1, 0, "s", "op", SpanKind.SERVER, 0, 1, Map.of()),
        TestSpans.simple(c, 1, 0, "s", "op", SpanKind.SERVER, 10, 1, Map.of())));
    assertThat(find(storage, TraceQuery.builder().startTimeMinNanos(-10).startTimeMaxNanos(0)))
        .containsExactly(b, a);
    assertThat(find(storage, TraceQuery.builder().serviceName("s").startTimeMinNanos(0)
        .startTimeMaxNanos(10))).containsExactly(c, b);
    assertThat(find(storage, TraceQuery.builder().startTimeMaxNanos(-11))).isEmpty();
  }

  @Test
  void anEmptyBatchIsAccepted() {
    storage.spanWriter().write(List.of());
    assertThat(storage.serviceCatalog().services()).isEmpty();
  }

  @Test
  void aClosedStoreSaysSo() {
    storage.close();
    storage.close(); // idempotent
    assertThat(storage.check().ok()).isFalse();
    assertThat(storage.check().detail()).contains("closed");
    assertThatThrownBy(() -> storage.spanWriter().write(List.of()))
        .isInstanceOf(StorageException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> storage.traceReader().getTrace(new TraceId(1, 1)))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> storage.serviceCatalog().services())
        .isInstanceOf(StorageException.class);
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefused() {
    assertThatThrownBy(() -> RocksDbStorage.open(RocksDbConfig.of(dir)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("lock");
  }

  private static List<TraceId> find(StorageComponent s, TraceQuery.Builder q) {
    return s.traceSearch().findTraceIds(q.limit(1000).build());
  }
}
