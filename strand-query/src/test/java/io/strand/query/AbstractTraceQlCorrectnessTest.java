package io.strand.query;

import static io.strand.query.TraceCorpus.FULL_WINDOW_END;
import static io.strand.query.TraceCorpus.FULL_WINDOW_START;
import static io.strand.query.TraceCorpus.PARTIAL_WINDOW_END;
import static io.strand.query.TraceCorpus.PARTIAL_WINDOW_START;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.storage.StorageComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TraceQL search over a store must give exactly what evaluating the query on every trace gives.
 * A backend's test extends this class and opens a fresh store in {@link #open(Path)}; the suite
 * writes a seeded {@link TraceCorpus} to it once and compares {@link TraceSearchService} with
 * an oracle that evaluates the parsed query directly on each corpus trace (no planner, no
 * store), over a window holding every trace, a window some traces cross, and small limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractTraceQlCorrectnessTest {

  protected static final long SEED = 20260101L;
  protected static final int TRACES = 300;

  /** Where the store keeps its files: one directory for the whole class. */
  protected Path dir;
  protected StorageComponent storage;
  protected TraceSearchService service;
  /** Pages one candidate at a time at first, so every paging path runs on a small corpus. */
  protected TraceSearchService pagingService;
  protected List<List<Span>> corpus;

  /** Opens an empty store whose files, if any, live under {@code dir}. */
  protected abstract StorageComponent open(Path dir) throws Exception;

  @BeforeAll
  void writeCorpus(@TempDir Path tempDir) throws Exception {
    // One store for the whole class; a @TempDir field would not be set yet in @BeforeAll.
    dir = Objects.requireNonNull(tempDir);
    corpus = TraceCorpus.generate(SEED, TRACES);
    storage = open(dir);
    List<Span> batch = new ArrayList<>();
    for (List<Span> trace : corpus) {
      batch.addAll(trace);
      if (batch.size() > 500) {
        storage.spanWriter().write(batch);
        batch = new ArrayList<>();
      }
    }
    storage.spanWriter().write(batch);
    service = new TraceSearchService(storage);
    pagingService = new TraceSearchService(storage, 1, SearchExecutor.MAX_CHUNK,
        SearchExecutor.MAX_CANDIDATES);
  }

  @AfterAll
  void closeStore() {
    if (storage != null) {
      storage.close();
    }
  }

  static Stream<String> queries() {
    return Stream.of(
        "{ }",
        "{ resource.service.name = \"payment\" }",
        "{ status = error }",
        "{ span.http.response.status_code >= 500 }",
        "{ span.http.response.status_code = 503 }",
        "{ resource.service.name = \"frontend\" && span.http.response.status_code = 503 "
            + "&& duration > 100ms }",
        "{ duration > 300ms }",
        "{ name = \"POST /checkout\" && duration > 250ms }",
        "{ resource.service.name = \"checkout\" } >> { status = error }",
        "{ resource.service.name = \"frontend\" } > { resource.service.name = \"cart\" }",
        "{ status = error } !< { status = error }",
        "{ name = \"Charge\" && status = error } !> { resource.service.name = \"payment\" }",
        "{ span.http.route = \"/cart\" }",
        "{ } !< { resource.service.name = \"inventory\" }",
        "{ span.db.system = \"redis\" } ~ { span.db.system = \"postgresql\" }",
        "{ kind = producer } &> { kind = consumer }",
        "{ resource.deployment.environment = \"staging\" } && { status = error }",
        "{ resource.service.name = \"auth\" } || { resource.service.name = \"shipping\" }",
        "{ status = ok && resource.service.name = \"auth\" }",
        "{ name =~ \"GET .*\" && kind = server }",
        "{ span.http.route !~ \"/product/.*\" && kind = server "
            + "&& resource.service.name = \"frontend\" }",
        "{ span.retry.count > 2 }",
        "{ span.sampling.ratio < 0.5 }",
        "{ span.cache.hit }",
        "{ span.cache.hit = false } &~ { }",
        "{ .host.name = \"host-3\" && kind = server }",
        "{ resource.service.name = \"inventory\" } | count() > 6",
        "{ } | avg(duration) > 60ms",
        "{ resource.service.name = \"cart\" } | max(span.retry.count) >= 2",
        "{ status = error } | by(resource.service.name) | count() > 1",
        "{ trace:rootService = \"frontend\" && trace:duration > 500ms }",
        "{ rootName = \"POST /login\" }",
        "{ trace:rootService = nil }",
        "{ event:name = \"exception\" }",
        "{ event.exception.message =~ \".*declined.*\" }",
        "{ span.http.request.method = \"POST\" && kind = server } "
            + "| select(span.http.route, resource.service.name)",
        "({ resource.service.name = \"inventory\" } | count() > 2) && { status = error }",
        "{ span.tags =~ \"beta\" }",
        "{ status = error } !>> { status = error }",
        "{ span:childCount > 3 }",
        "{ kind = client && span.peer.service = \"payment\" }",
        "{ .service.name = nil }",
        "{ span.http.response.status_code = 404 } | sum(duration) > 20ms",
        "{ resource.service.version = \"2.0.0\" && resource.service.name = \"cart\" }",
        "{ duration < 3ms && kind = client }",
        "{ span.user.id = \"user-7\" }",
        "{ instrumentation:name = \"io.opentelemetry.jdbc\" && duration > 100ms }",
        "{ resource.service.name = \"payment\" && status = error } "
            + "&& { resource.deployment.environment = \"production\" }",
        "{ name = \"orders process\" } | select(span.messaging.system, trace:rootName)");
  }

  /** What matched, oracle side: the trace and the query's match on it. */
  protected record Expected(List<Span> trace, TraceMatch match, long start, TraceId id) {}

  /** Evaluates the query on every corpus trace lying wholly in the window; newest first. */
  protected List<Expected> oracle(String query, long windowStart, long windowEnd) {
    TraceQlQuery q = TraceQl.parse(query);
    List<Expected> out = new ArrayList<>();
    for (List<Span> trace : corpus) {
      boolean inWindow = trace.stream().allMatch(s ->
          s.startTimeUnixNano() >= windowStart && s.startTimeUnixNano() <= windowEnd);
      if (inWindow) {
        long start = trace.stream().mapToLong(Span::startTimeUnixNano).min().orElseThrow();
        q.evaluate(trace).ifPresent(m ->
            out.add(new Expected(trace, m, start, trace.get(0).traceId())));
      }
    }
    out.sort(Comparator.comparingLong(Expected::start).reversed()
        .thenComparing(Expected::id));
    return out;
  }

  private static List<TraceId> ids(SearchResult r) {
    return r.traces().stream().map(TraceSummary::traceId).toList();
  }

  private static List<TraceId> ids(List<Expected> e) {
    return e.stream().map(Expected::id).toList();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("queries")
  void everyMatchInTheWindowNewestFirst(String query) {
    List<Expected> expected = oracle(query, FULL_WINDOW_START, FULL_WINDOW_END);
    assertThat(expected).as("the corpus should exercise " + query).isNotEmpty();

    SearchResult result = service.search(query, FULL_WINDOW_START, FULL_WINDOW_END,
        TraceSearchService.MAX_LIMIT);

    assertThat(ids(result)).as(query).isEqualTo(ids(expected));
    assertThat(result.truncated()).isFalse();
    for (int i = 0; i < expected.size(); i++) {
      assertSummary(result.traces().get(i), expected.get(i));
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("queries")
  void tracesCrossingTheWindowEdgesAreLeftOut(String query) {
    List<Expected> expected = oracle(query, PARTIAL_WINDOW_START, PARTIAL_WINDOW_END);
    SearchResult result = service.search(query, PARTIAL_WINDOW_START, PARTIAL_WINDOW_END,
        TraceSearchService.MAX_LIMIT);
    assertThat(ids(result)).as(query).isEqualTo(ids(expected));
    assertThat(result.truncated()).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("queries")
  void smallLimitsGiveTheNewestAndSayWhetherMoreExist(String query) {
    for (TraceSearchService s : List.of(service, pagingService)) {
      for (int limit : new int[] {1, 3, 10, 60}) {
        assertFirst(s, query, FULL_WINDOW_START, FULL_WINDOW_END, limit);
      }
      assertFirst(s, query, PARTIAL_WINDOW_START, PARTIAL_WINDOW_END, 5);
    }
    assertFirst(pagingService, query, FULL_WINDOW_START, FULL_WINDOW_END,
        TraceSearchService.MAX_LIMIT);
  }

  /** Ends just after the start time many traces share: ties at the limit go by trace id. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("queries")
  void tiesInStartTimeAreBrokenByTraceId(String query) {
    long end = TraceCorpus.SHARED_START + 10_000 * TraceCorpus.MS;
    for (TraceSearchService s : List.of(service, pagingService)) {
      for (int limit : new int[] {1, 2, 4, 7}) {
        assertFirst(s, query, PARTIAL_WINDOW_START, end, limit);
      }
    }
  }

  private void assertFirst(TraceSearchService s, String query, long start, long end, int limit) {
    List<Expected> all = oracle(query, start, end);
    SearchResult result = s.search(query, start, end, limit);
    String what = query + " in [" + start + ", " + end + "] limit " + limit;
    assertThat(ids(result)).as(what).isEqualTo(ids(all.subList(0, Math.min(limit, all.size()))));
    assertThat(result.truncated()).as(what + ": truncated").isEqualTo(all.size() > limit);
  }

  /** Guards against a vacuous suite: the corpus has what the queries and windows test. */
  @Test
  void corpusCoversTheCasesTheSuiteRelies() {
    assertThat(corpus).hasSize(TRACES);
    long crossing = corpus.stream().filter(t -> {
      boolean in = t.stream().anyMatch(s -> s.startTimeUnixNano() >= PARTIAL_WINDOW_START
          && s.startTimeUnixNano() <= PARTIAL_WINDOW_END);
      boolean out = t.stream().anyMatch(s -> s.startTimeUnixNano() < PARTIAL_WINDOW_START
          || s.startTimeUnixNano() > PARTIAL_WINDOW_END);
      return in && out;
    }).count();
    assertThat(crossing).as("traces crossing the partial window's edges").isGreaterThan(5);
    assertThat(corpus.stream().filter(t -> t.stream().noneMatch(Span::isRoot)).count())
        .as("traces without root").isGreaterThan(3);
    long sharedStart = corpus.stream()
        .map(t -> t.stream().mapToLong(Span::startTimeUnixNano).min().orElseThrow())
        .filter(s -> s == TraceCorpus.SHARED_START)
        .count();
    assertThat(sharedStart).as("traces sharing one start time").isGreaterThan(5);
    assertThat(oracle("{ }", PARTIAL_WINDOW_START, TraceCorpus.SHARED_START + 10_000_000_000L)
        .stream().limit(7).filter(e -> e.start() == TraceCorpus.SHARED_START).count())
        .as("most of the newest traces of the tie window share their start")
        .isGreaterThanOrEqualTo(5);
    assertThat(queries().filter(q -> oracle(q, FULL_WINDOW_START, FULL_WINDOW_END).size() > 20))
        .as("queries matching many traces, so limits are exercised").hasSizeGreaterThan(15);
    assertThat(queries().filter(q -> oracle(q, FULL_WINDOW_START, FULL_WINDOW_END).size()
        < TRACES / 2)).as("selective queries").hasSizeGreaterThan(25);
  }

  private static void assertSummary(TraceSummary s, Expected e) {
    List<Span> trace = e.trace();
    Span root = trace.stream().filter(Span::isRoot).findFirst().orElse(null);
    long end = trace.stream().mapToLong(Span::endTimeUnixNano).max().orElseThrow();
    assertThat(s.traceId()).isEqualTo(e.id());
    assertThat(s.startTimeUnixNano()).isEqualTo(e.start());
    assertThat(s.durationNanos()).isEqualTo(end - e.start());
    assertThat(s.spanCount()).isEqualTo(trace.size());
    assertThat(s.errorCount())
        .isEqualTo((int) trace.stream().filter(x -> x.statusCode() == StatusCode.ERROR).count());
    assertThat(s.services()).containsExactlyElementsOf(
        new TreeSet<>(trace.stream().map(Span::serviceName).toList()));
    assertThat(s.rootServiceName()).isEqualTo(
        root == null ? TraceSummary.ROOT_NOT_RECEIVED : root.serviceName());
    assertThat(s.rootName()).isEqualTo(root == null ? "" : root.name());
    assertThat(s.matchedSpans()).extracting(MatchedSpan::spanId)
        .containsExactlyElementsOf(e.match().matchedSpans().stream().map(Span::spanId).toList());
    assertThat(s.matchedSpans()).extracting(MatchedSpan::selected)
        .containsExactlyElementsOf(e.match().spans().stream().map(SpanMatch::selected).toList());
  }
}
