package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import io.strand.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches by attribute walk the attribute index ({@code 0x07}, with {@code 0x08} for resource
 * attributes) and still answer exactly as the in-memory reference store does.
 */
class AttributeSearchTest {

  private static final long MS = 1_000_000L;
  private static final String[] SERVICES = {"frontend", "checkout", "db"};
  /** Over 64 bytes, so its terms hold a hash. */
  private static final String LONG_SQL = "SELECT id, name, price FROM items WHERE id = ? "
      + "AND tenant = ? ORDER BY name LIMIT 50";
  /** Over 256 bytes. */
  private static final String HUGE = "x".repeat(300);
  private static final AttributeValue TAGS = new AttributeValue.ArrayValue(
      List.of(AttributeValue.of("a"), AttributeValue.of(2L)));

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryStorage oracle = new InMemoryStorage();

  private RocksDbStorage open() {
    return RocksDbStorage.open(RocksDbConfig.builder(dir).clock(clock).build());
  }

  @Test
  void attributeSearchesOverPartitionsWithRewritesAgreeWithTheReferenceStore() {
    Random r = new Random(5);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      ids.add(new TraceId(r.nextLong(), r.nextLong() | 1));
    }
    try (RocksDbStorage s = open()) {
      for (int part = 0; part < 4; part++) {
        for (int batch = 0; batch < 4; batch++) {
          List<Span> spans = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            // Few span ids per trace: later batches rewrite spans, sometimes in a newer
            // partition, with another start, service or attributes. Starts at whole and half
            // milliseconds put several spans in one bucket.
            spans.add(span(r, ids.get(r.nextInt(ids.size())), 1 + r.nextInt(5),
                T0 + r.nextInt(80) * MS / 2));
          }
          write(s, spans);
          if (batch % 2 == 1) {
            // Postings written per window (here every two batches, overlapping in time) and
            // the batches still in memory are searched together.
            s.flush();
          }
        }
        if (part == 1) {
          // Compacted postings (and a partition that takes writes on) search the same.
          s.compact();
        }
        if (part < 3) {
          clock.advance(Duration.ofHours(1));
        }
      }
      // The newest partition holds postings and batches in memory at once.
      write(s, List.of(span(r, ids.get(0), 9, T0 + 3 * MS)));
      List<Map<String, String>> criteria = List.of(
          Map.of("http.response.status_code", "503"),
          Map.of("http.response.status_code", "200", "cache.hit", "true"),
          Map.of("ratio", "0.25"),
          Map.of("user", "u7"),
          Map.of("sql", LONG_SQL),
          Map.of("huge", HUGE),
          Map.of("tags", TAGS.asText()),
          Map.of("k8s.pod.name", "checkout-1"),
          Map.of("host.name", "host-2", "http.request.method", "GET"),
          Map.of("override", "resource"),
          Map.of("override", "span"),
          Map.of("service.name", "db"),
          Map.of("user", "nobody"));
      for (Map<String, String> c : criteria) {
        for (String service : new String[] {null, "checkout"}) {
          for (int limit : new int[] {1, 3, 20, 1000}) {
            assertAgrees(s, TraceQuery.builder().attributes(c).serviceName(service).limit(limit));
          }
          assertAgrees(s, TraceQuery.builder().attributes(c).serviceName(service)
              .startTimeMinNanos(T0 + 10 * MS + 1).startTimeMaxNanos(T0 + 30 * MS - 1)
              .minDurationNanos(5 * MS).limit(1000));
        }
      }
      assertThat(find(s, Map.of("http.response.status_code", "503"))).isNotEmpty();
      assertThat(find(s, Map.of("huge", HUGE))).isNotEmpty();
      assertThat(find(s, Map.of("tags", TAGS.asText()))).isNotEmpty();
      assertThat(find(s, Map.of("override", "resource"))).isNotEmpty();
    }
  }

  @Test
  void rareSpanAttributesWalkTheirOwnRunInEveryPartition() {
    try (RocksDbStorage s = open()) {
      write(s, List.of(simple(new TraceId(1, 1), "frontend", T0, Map.of("user", "u1"))));
      clock.advance(Duration.ofHours(1));
      write(s, List.of(simple(new TraceId(1, 2), "checkout", T0 + MS, Map.of("user", "u2"))));

      TraceQuery q = TraceQuery.builder().attributes(Map.of("user", "u1")).build();
      byte[] term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "user", "u1").bytes();
      assertThat(plan(s, q)).hasSize(2).allSatisfy(runs -> assertThat(runs)
          .singleElement().satisfies(run -> {
            assertThat(run.kind()).isEqualTo(IndexRun.Kind.POSTINGS);
            assertThat(run.prefix()).isEqualTo(term);
          }));
      assertThat(s.traceSearch().findTraceIds(q)).containsExactly(new TraceId(1, 1));
    }
  }

  @Test
  void resourceAttributesAddTheRunsOfTheServicesCarryingThem() {
    try (RocksDbStorage s = open()) {
      write(s, List.of(
          simple(new TraceId(2, 1), "frontend", T0, Map.of()),
          simple(new TraceId(2, 2), "checkout", T0, Map.of())));
      // Only checkout's resource carries k8s.pod.name=checkout-1.
      TraceQuery q = TraceQuery.builder().attributes(Map.of("k8s.pod.name", "checkout-1")).build();
      assertThat(plan(s, q).get(0)).extracting(IndexRun::kind)
          .containsExactly(IndexRun.Kind.POSTINGS, IndexRun.Kind.TIME);
      assertThat(plan(s, q).get(0).get(1).prefix())
          .isEqualTo(Keys.named(Keys.SERVICE_TIME, Text.keyBytes("checkout")));
      assertThat(s.traceSearch().findTraceIds(q)).containsExactly(new TraceId(2, 2));
      // A query naming another service needs no service run at all.
      TraceQuery other = TraceQuery.builder().serviceName("frontend")
          .attributes(Map.of("k8s.pod.name", "checkout-1")).build();
      assertThat(plan(s, other).get(0)).singleElement().extracting(IndexRun::prefix)
          .isEqualTo(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k8s.pod.name", "checkout-1").bytes());
      assertThat(s.traceSearch().findTraceIds(other)).isEmpty();
    }
  }

  @Test
  void aTermTooCommonToIndexFallsBackToTheTimeIndexInThatPartitionOnly() {
    Random r = new Random(9);
    try (RocksDbStorage s = open()) {
      // Partition 1: a fifth of the spans say common=yes; past MIN_SPANS that term turns dense.
      // An eleventh say medium=m: not dense, yet more entries than the planner's probe counts.
      int spans = (int) DenseTerms.MIN_SPANS + 2_000;
      for (int i = 0; i < spans; i += 500) {
        List<Span> batch = new ArrayList<>();
        for (int j = i; j < i + 500; j++) {
          Map<String, String> attributes = new HashMap<>(Map.of("rare", "r" + j % 997));
          if (j % 5 == 0) {
            attributes.put("common", "yes");
          }
          if (j % 11 == 0) {
            attributes.put("medium", "m");
          }
          batch.add(simple(new TraceId(3, j + 1), SERVICES[j % 3], T0 + r.nextInt(100_000) * MS,
              attributes));
        }
        write(s, batch);
      }
      // Partition 2: few spans, so the term is indexed there.
      clock.advance(Duration.ofHours(1));
      write(s, List.of(simple(new TraceId(4, 1), "db", T0 + 5 * MS, Map.of("common", "yes"))));

      TraceQuery common = TraceQuery.builder().attributes(Map.of("common", "yes")).limit(50)
          .build();
      List<List<IndexRun>> plan = plan(s, common);
      assertThat(plan.get(0)).singleElement().extracting(IndexRun::kind)
          .isEqualTo(IndexRun.Kind.POSTINGS);
      assertThat(plan.get(1)).singleElement().extracting(IndexRun::prefix)
          .isEqualTo(Keys.TIME_PREFIX);
      assertAgrees(s, TraceQuery.builder().attributes(Map.of("common", "yes")).limit(50));
      assertAgrees(s, TraceQuery.builder().attributes(Map.of("common", "yes")).serviceName("db")
          .startTimeMaxNanos(T0 + 50_000 * MS).limit(1000));

      // With a rarer criterion beside it, the search walks the rarer one's run everywhere.
      TraceQuery both = TraceQuery.builder()
          .attributes(Map.of("common", "yes", "rare", "r5")).limit(1000).build();
      byte[] rare = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "rare", "r5").bytes();
      assertThat(plan(s, both)).allSatisfy(runs -> assertThat(runs).singleElement()
          .extracting(IndexRun::prefix).isEqualTo(rare));
      assertAgrees(s, TraceQuery.builder().attributes(Map.of("common", "yes", "rare", "r5"))
          .limit(1000));
      // Both probes stop at the bound; the one walking its own run wins over the fallback.
      TraceQuery medium = TraceQuery.builder()
          .attributes(Map.of("common", "yes", "medium", "m")).limit(20).build();
      assertThat(plan(s, medium).get(1)).singleElement().extracting(IndexRun::prefix)
          .isEqualTo(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "medium", "m").bytes());
      assertAgrees(s, TraceQuery.builder().attributes(Map.of("common", "yes", "medium", "m"))
          .limit(20));
    }
  }

  @Test
  void bucketEdgesAndExtremeStartsAreSearchedExactly() {
    long[] starts = {Long.MIN_VALUE, -MS - 1, -MS, -1, 0, MS - 1, MS, T0, T0 + 1,
        Long.MAX_VALUE};
    try (RocksDbStorage s = open()) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < starts.length; i++) {
        // Trace ids share their first byte, so one bucket entry stands for all of them.
        spans.add(simple(new TraceId(7, i + 1), "svc", starts[i], Map.of("k", "v")));
        spans.add(simple(new TraceId(7, i + 100), "svc", starts[i], Map.of("k", "w")));
      }
      write(s, spans);
      for (long min : starts) {
        for (long max : starts) {
          if (min <= max) {
            assertAgrees(s, TraceQuery.builder().attributes(Map.of("k", "v"))
                .startTimeMinNanos(min).startTimeMaxNanos(max).limit(1000));
          }
        }
      }
      assertThat(find(s, Map.of("k", "v"))).hasSize(starts.length);
    }
  }

  @Test
  void batchesWhosePostingsACrashLostAreIndexedAgainOnOpen() {
    Random r = new Random(13);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(new TraceId(r.nextLong(), r.nextLong() | 1));
    }
    try (RocksDbStorage s = open()) {
      write(s, spans(r, ids, 100));
      s.flush();
      write(s, spans(r, ids, 100));
      write(s, spans(r, ids, 100));
      Partition p = s.partitionRegistry().oldestFirst().getFirst();
      assertThat(p.pending.spans()).isEqualTo(200);
      // As if the process died: the postings of the last two batches exist only as their
      // 0x0C lists of span keys.
      p.pending.clear();
    }
    try (RocksDbStorage s = open()) {
      assertThat(s.partitionRegistry().oldestFirst().getFirst().pending.isEmpty()).isTrue();
      checkAll(s);
      assertThat(find(s, Map.of("user", "u3"))).isNotEmpty();
      // Numbers of batches are not reused: new batches add to what was recovered.
      write(s, spans(r, ids, 100));
      checkAll(s);
    }
    try (RocksDbStorage s = open()) {
      checkAll(s);
    }
  }

  @Test
  void partitionsEarlierVersionsWroteAreSearchedThroughTheirPerSpanEntries() throws Exception {
    Random r = new Random(11);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(new TraceId(r.nextLong(), r.nextLong() | 1));
    }
    // Partition 1 as a version without an attribute index left it (0x04, 0x05), partition 2 as
    // one with per-span attribute entries (0x07, 0x08, 0x0A).
    List<Span> old = spans(r, ids, 120);
    List<Span> older = spans(r, ids, 120);
    try (RocksDbStorage s = open()) {
      s.spanWriter().write(older.subList(0, 1));
      clock.advance(Duration.ofHours(1));
      s.spanWriter().write(old.subList(0, 1));
    }
    String first = Partition.nameOf(clock.instant().minus(Duration.ofHours(1)).toEpochMilli());
    String second = Partition.nameOf(clock.instant().toEpochMilli());
    LegacyLayout.rewrite(dir, Map.of(first, older, second, old), Map.of(first, false, second,
        true));
    oracle.write(older);
    oracle.write(old);

    TraceQuery byUser = TraceQuery.builder().attributes(Map.of("user", "u3")).build();
    byte[] user = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "user", "u3").bytes();
    try (RocksDbStorage s = open()) {
      List<List<IndexRun>> plan = plan(s, byUser);
      // Newest first: the attribute-index era walks 0x07 and the postings of spans written
      // since; the older one the time index.
      assertThat(plan.get(0)).extracting(IndexRun::kind)
          .containsExactly(IndexRun.Kind.POSTINGS, IndexRun.Kind.ENTRIES);
      assertThat(plan.get(0)).extracting(IndexRun::prefix).containsExactly(user, user);
      assertThat(plan.get(1)).singleElement().extracting(IndexRun::prefix)
          .isEqualTo(Keys.TIME_PREFIX);
      checkAll(s);
      // This version writes postings into the earlier version's partition, then a new one.
      write(s, spans(r, ids, 120));
      checkAll(s);
      clock.advance(Duration.ofHours(1));
      write(s, spans(r, ids, 60));
      assertThat(plan(s, byUser).get(0)).singleElement().extracting(IndexRun::kind)
          .isEqualTo(IndexRun.Kind.POSTINGS);
      checkAll(s);
    }
    try (RocksDbStorage s = open()) {
      checkAll(s);
    }
  }

  @Test
  void aFormat2PartitionACrashLeftUnindexedIsIndexedByItsSpansOwnStartsOnOpen() throws Exception {
    Random r = new Random(17);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(new TraceId(r.nextLong(), r.nextLong() | 1));
    }
    List<Span> old = spans(r, ids, 150);
    String name;
    try (RocksDbStorage s = open()) {
      s.spanWriter().write(old.subList(0, 1));
      name = s.partitionRegistry().oldestFirst().getFirst().name;
    }
    // Per-span time entries and a 9-byte 0x0C list of 25-byte span keys, no postings: the refs
    // recovered must name each span's own start, where its time entry is.
    LegacyLayout.rewriteAsUnindexedFormat2(dir, name, old);
    oracle.write(old);
    try (RocksDbStorage s = open()) {
      Partition p = s.partitionRegistry().oldestFirst().getFirst();
      assertThat(p.pending.isEmpty()).isTrue();
      assertThat(Partitions.keysWithPrefix(s.partitionRegistry().db(), p,
          new byte[] {Keys.PENDING})).isEmpty();
      assertThat(find(s, Map.of("user", "u3"))).isNotEmpty();
      checkAll(s);
      // This version's span groups join the format-2 partition.
      write(s, spans(r, ids, 100));
      checkAll(s);
    }
    try (RocksDbStorage s = open()) {
      checkAll(s);
    }
  }

  private void checkAll(RocksDbStorage s) {
    List<Map<String, String>> criteria = List.of(
        Map.of(),
        Map.of("user", "u3"),
        Map.of("http.response.status_code", "503"),
        Map.of("k8s.pod.name", "checkout-1"),
        Map.of("host.name", "host-2", "http.request.method", "GET"),
        Map.of("override", "span"),
        Map.of("user", "nobody"));
    for (Map<String, String> c : criteria) {
      for (String service : new String[] {null, "checkout", "db"}) {
        for (int limit : new int[] {1, 5, 1000}) {
          assertAgrees(s, TraceQuery.builder().attributes(c).serviceName(service).limit(limit));
        }
        assertAgrees(s, TraceQuery.builder().attributes(c).serviceName(service)
            .startTimeMinNanos(T0 + 10 * MS + 1).startTimeMaxNanos(T0 + 30 * MS - 1)
            .minDurationNanos(5 * MS).limit(1000));
      }
    }
  }

  private static List<Span> spans(Random r, List<TraceId> ids, int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      spans.add(span(r, ids.get(r.nextInt(ids.size())), 1 + r.nextInt(4),
          T0 + r.nextInt(80) * MS / 2));
    }
    return spans;
  }

  private void assertAgrees(RocksDbStorage s, TraceQuery.Builder b) {
    TraceQuery q = b.build();
    assertThat(s.traceSearch().findTraceIds(q)).as(q.toString())
        .containsExactlyElementsOf(oracle.findTraceIds(q));
  }

  private void write(RocksDbStorage s, List<Span> spans) {
    s.spanWriter().write(spans);
    oracle.write(spans);
  }

  private static List<TraceId> find(RocksDbStorage s, Map<String, String> attributes) {
    return s.traceSearch().findTraceIds(
        TraceQuery.builder().attributes(attributes).limit(1000).build());
  }

  private static List<List<IndexRun>> plan(RocksDbStorage s, TraceQuery q) {
    return ((IndexSearch) s.traceSearch()).plan(q);
  }

  /** Two instances per service; their resources differ by pod, host and an override key. */
  private static Resource resource(String service, int instance) {
    return new Resource(Attributes.builder()
        .put(Resource.SERVICE_NAME, service)
        .put("k8s.pod.name", service + "-" + instance)
        .put("host.name", "host-" + (service.length() + instance) % 3)
        .put("override", "resource")
        .build(), 0);
  }

  private static Span span(Random r, TraceId id, long spanId, long start) {
    String service = SERVICES[r.nextInt(SERVICES.length)];
    Attributes.Builder a = Attributes.builder()
        .put("http.response.status_code", new long[] {200, 404, 503}[r.nextInt(3)])
        .put("http.request.method", r.nextBoolean() ? "GET" : "POST")
        .put("cache.hit", r.nextBoolean())
        .put("ratio", r.nextBoolean() ? 0.25 : 0.5)
        .put("user", "u" + r.nextInt(30));
    switch (r.nextInt(5)) {
      case 0 -> a.put("sql", LONG_SQL);
      case 1 -> a.put("huge", HUGE);
      case 2 -> a.put("tags", TAGS);
      case 3 -> a.put("override", "span"); // shadows the resource's value for this span
      default -> { }
    }
    return Span.builder(id, spanId)
        .name("op" + r.nextInt(3))
        .kind(SpanKind.forNumber(1 + r.nextInt(2)))
        .startTimeUnixNano(start)
        .endTimeUnixNano(start + (1 + r.nextInt(20)) * MS)
        .attributes(a.build())
        .resource(resource(service, r.nextInt(2)))
        .build();
  }

  private static Span simple(TraceId id, String service, long start, Map<String, String> attrs) {
    return Span.builder(id, 1)
        .name("op")
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(start)
        .endTimeUnixNano(start == Long.MAX_VALUE ? start : start + 1)
        .attributes(Attributes.ofStrings(attrs))
        .resource(resource(service, 1))
        .build();
  }
}
