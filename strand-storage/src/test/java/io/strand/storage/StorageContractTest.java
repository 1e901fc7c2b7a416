package io.strand.storage;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every storage backend must show. A backend's test extends this class and opens a
 * fresh store in {@link #open(Path)}; the search tests compare each answer with the in-memory
 * reference store fed the same spans.
 */
public abstract class StorageContractTest {

  private static final long MS = 1_000_000L;

  @TempDir protected Path dir;
  protected StorageComponent storage;

  /** Opens an empty store whose files, if any, live under {@code dir}. */
  protected abstract StorageComponent open(Path dir) throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    storage = open(dir);
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  @Test
  void everyFieldSurvivesAWriteAndRead() {
    TraceId id = new TraceId(0x1234L, 0x5678L);
    Span root = TestSpans.rich(id, 1, 0, "frontend", "GET /", T0, 50 * MS);
    Span child = TestSpans.rich(id, 2, 1, "checkout", "charge", T0 + MS, 10 * MS);
    storage.spanWriter().write(List.of(child, root));

    assertThat(storage.traceReader().getTrace(id)).containsExactly(root, child);
  }

  @Test
  void unknownTraceIsEmpty() {
    assertThat(storage.traceReader().getTrace(new TraceId(1, 2))).isEmpty();
  }

  @Test
  void writesAreIdempotent() {
    TraceId id = new TraceId(3, 4);
    Span s = TestSpans.rich(id, 1, 0, "svc", "op", T0, MS);
    storage.spanWriter().write(List.of(s));
    storage.spanWriter().write(List.of(s, s));
    assertThat(storage.traceReader().getTrace(id)).containsExactly(s);
  }

  @Test
  void sharedZipkinSpanIdsWithDifferentKindsAreBothKept() {
    TraceId id = new TraceId(5, 6);
    Span client = TestSpans.simple(id, 9, 0, "a", "call", SpanKind.CLIENT, T0, 10 * MS, Map.of());
    Span server = TestSpans.simple(id, 9, 0, "b", "call", SpanKind.SERVER, T0 + MS, 8 * MS,
        Map.of());
    storage.spanWriter().write(List.of(client, server));
    assertThat(storage.traceReader().getTrace(id)).containsExactly(client, server);
  }

  @Test
  void spansOfOneTraceArrivingInSeparateBatchesAreAssembled() {
    TraceId id = new TraceId(0, 77);
    Span a = TestSpans.simple(id, 1, 0, "a", "root", SpanKind.SERVER, T0, 9 * MS, Map.of());
    Span b = TestSpans.simple(id, 2, 1, "b", "child", SpanKind.SERVER, T0 + MS, MS, Map.of());
    storage.spanWriter().write(List.of(b));
    storage.spanWriter().write(List.of(a));
    assertThat(storage.traceReader().getTrace(id)).containsExactly(a, b);
  }

  @Test
  void tracesWithTheSameLowBitsAreKeptApart() {
    TraceId narrow = new TraceId(0, 42);
    TraceId wide = new TraceId(1, 42);
    Span a = TestSpans.simple(narrow, 1, 0, "a", "x", SpanKind.SERVER, T0, MS, Map.of());
    Span b = TestSpans.simple(wide, 1, 0, "a", "x", SpanKind.SERVER, T0, MS, Map.of());
    storage.spanWriter().write(List.of(a, b));
    assertThat(storage.traceReader().getTrace(narrow)).containsExactly(a);
    assertThat(storage.traceReader().getTrace(wide)).containsExactly(b);
  }

  @Test
  void servicesAndOperationsAreListedSortedAndDistinct() {
    TraceId id = new TraceId(8, 9);
    storage.spanWriter().write(List.of(
        TestSpans.simple(id, 1, 0, "web", "GET /", SpanKind.SERVER, T0, MS, Map.of()),
        TestSpans.simple(id, 2, 1, "web", "SELECT", SpanKind.CLIENT, T0, MS, Map.of()),
        TestSpans.simple(id, 3, 1, "web", "GET /", SpanKind.SERVER, T0, MS, Map.of()),
        TestSpans.simple(id, 4, 1, "auth", "check", SpanKind.INTERNAL, T0, MS, Map.of())));

    assertThat(storage.serviceCatalog().services()).containsExactly("auth", "web");
    assertThat(storage.serviceCatalog().operations("web")).containsExactly(
        new Operation("GET /", SpanKind.SERVER), new Operation("SELECT", SpanKind.CLIENT));
    assertThat(storage.serviceCatalog().operations("nobody")).isEmpty();
  }

  @Test
  void remoteServicesComeFromPeerServiceAttributes() {
    TraceId id = new TraceId(8, 10);
    storage.spanWriter().write(List.of(
        TestSpans.simple(id, 1, 0, "web", "GET /", SpanKind.SERVER, T0, MS, Map.of()),
        TestSpans.simple(id, 2, 1, "web", "query", SpanKind.CLIENT, T0, MS,
            Map.of(ServiceCatalog.PEER_SERVICE, "postgres")),
        TestSpans.simple(id, 3, 1, "web", "get", SpanKind.CLIENT, T0, MS,
            Map.of(ServiceCatalog.PEER_SERVICE, "redis")),
        TestSpans.simple(id, 4, 1, "web", "get", SpanKind.CLIENT, T0 + MS, MS,
            Map.of(ServiceCatalog.PEER_SERVICE, "redis")),
        TestSpans.simple(id, 5, 1, "auth", "call", SpanKind.CLIENT, T0, MS,
            Map.of(ServiceCatalog.PEER_SERVICE, "ldap"))));
    assertThat(storage.serviceCatalog().remoteServices("web")).containsExactly("postgres", "redis");
    assertThat(storage.serviceCatalog().remoteServices("auth")).containsExactly("ldap");
    assertThat(storage.serviceCatalog().remoteServices("nobody")).isEmpty();
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            TraceId id = new TraceId(writer + 1, i + 1);
            storage.spanWriter().write(List.of(
                TestSpans.simple(id, 1, 0, "w" + writer, "op", SpanKind.SERVER, T0, MS, Map.of()),
                TestSpans.simple(id, 2, 1, "w" + writer, "op", SpanKind.CLIENT, T0, MS, Map.of())));
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (int w = 0; w < 4; w++) {
      for (int i = 0; i < 50; i++) {
        assertThat(storage.traceReader().getTrace(new TraceId(w + 1, i + 1))).hasSize(2);
      }
    }
  }

  @Test
  void searchesAgreeWithTheReferenceStore() {
    InMemoryStorage oracle = new InMemoryStorage();
    List<Span> corpus = corpus(new Random(7), 300);
    for (int i = 0; i < corpus.size(); i += 97) {
      List<Span> batch = corpus.subList(i, Math.min(corpus.size(), i + 97));
      storage.spanWriter().write(batch);
      oracle.write(batch);
    }
    List<TraceQuery> queries = List.of(
        TraceQuery.builder().limit(1000).build(),
        TraceQuery.builder().serviceName("checkout").limit(1000).build(),
        TraceQuery.builder().serviceName("checkout").operationName("charge").limit(1000).build(),
        TraceQuery.builder().serviceName("frontend").limit(5).build(),
        TraceQuery.builder().attributes(Map.of("http.response.status_code", "503"))
            .limit(1000).build(),
        TraceQuery.builder().attributes(Map.of("deployment.environment", "prod",
            "http.response.status_code", "200")).limit(1000).build(),
        TraceQuery.builder().serviceName("db").minDurationNanos(50 * MS).limit(1000).build(),
        TraceQuery.builder().minDurationNanos(20 * MS).maxDurationNanos(40 * MS).limit(1000)
            .build(),
        TraceQuery.builder().startTimeMinNanos(T0 + 100_000 * MS)
            .startTimeMaxNanos(T0 + 200_000 * MS).limit(1000).build(),
        TraceQuery.builder().serviceName("checkout").startTimeMinNanos(T0 + 150_000 * MS)
            .limit(3).build(),
        TraceQuery.builder().serviceName("nobody").build(),
        TraceQuery.builder().statusCode(StatusCode.ERROR).limit(1000).build(),
        TraceQuery.builder().serviceName("db").statusCode(StatusCode.OK).limit(1000).build(),
        TraceQuery.builder().operationName("charge").attributes(Map.of("no.such", "x")).build());

    for (TraceQuery q : queries) {
      List<TraceId> expected = oracle.findTraceIds(q);
      assertThat(storage.traceSearch().findTraceIds(q)).as(q.toString())
          .containsExactlyElementsOf(expected);
    }
    assertThat(oracle.findTraceIds(queries.get(4))).as("the corpus has 503s").isNotEmpty();
  }

  @Test
  void checkReportsHealthy() {
    assertThat(storage.check().ok()).isTrue();
  }

  /** Traces of 3–8 spans over a few services, spread over ~300 s, with varied attributes. */
  static List<Span> corpus(Random r, int traces) {
    String[] services = {"frontend", "checkout", "db", "payment"};
    String[] ops = {"GET /", "charge", "SELECT", "render"};
    String[] codes = {"200", "200", "200", "404", "503"};
    List<Span> out = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      TraceId id = new TraceId(r.nextLong(), r.nextLong() | 1);
      long start = T0 + r.nextInt(300_000) * MS;
      int n = 3 + r.nextInt(6);
      for (int s = 1; s <= n; s++) {
        long dur = (1 + r.nextInt(100)) * MS;
        Span span = TestSpans.simple(id, s, s == 1 ? 0 : 1 + r.nextInt(s - 1),
            services[r.nextInt(services.length)], ops[r.nextInt(ops.length)],
            SpanKind.forNumber(1 + r.nextInt(5)), start + s * MS, dur,
            Map.of("http.response.status_code", codes[r.nextInt(codes.length)]));
        StatusCode status = StatusCode.forNumber(r.nextInt(3));
        Span withEnv = span.toBuilder().resource(new io.strand.model.Resource(
            io.strand.model.Attributes.builder().putAll(span.resource().attributes())
                .put("deployment.environment", r.nextBoolean() ? "prod" : "staging").build(), 0))
            .status(status, status == StatusCode.ERROR ? "failed" : "")
            .build();
        out.add(withEnv);
      }
    }
    return out;
  }
}
