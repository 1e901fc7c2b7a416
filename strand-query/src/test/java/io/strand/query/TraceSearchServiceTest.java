package io.strand.query;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.strand.model.AttributeValue;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Search results, the window rule, paging and its bounds, on small hand-built data. */
class TraceSearchServiceTest {

  private static final long MS = 1_000_000L;
  private static final long HOUR = 3_600_000 * MS;

  private final CountingStorage storage = new CountingStorage();
  private final TraceSearchService service = new TraceSearchService(storage);

  /** A one-span trace of service {@code svc} starting at T0 + offset. */
  private static Span single(long n, String svc, long offset) {
    return TestSpans.simple(new TraceId(1, n), 1, 0, svc, "op", SpanKind.SERVER, T0 + offset,
        MS, Map.of());
  }

  private static List<TraceId> ids(SearchResult r) {
    return r.traces().stream().map(TraceSummary::traceId).toList();
  }

  @Test
  void summaryDescribesTheTraceAndItsMatchedSpans() {
    storage.spanWriter().write(ShopTrace.spans());
    SearchResult r = service.search(
        "{ status = error } | select(span.http.response.status_code)", T0, T0 + HOUR, 20);

    assertThat(r.truncated()).isFalse();
    assertThat(r.traces()).hasSize(1);
    TraceSummary s = r.traces().get(0);
    assertThat(s.traceId()).isEqualTo(ShopTrace.ID);
    assertThat(s.rootServiceName()).isEqualTo("frontend");
    assertThat(s.rootName()).isEqualTo("GET /cart");
    assertThat(s.startTimeUnixNano()).isEqualTo(T0 + MS);
    assertThat(s.durationNanos()).isEqualTo(100 * MS);
    assertThat(s.spanCount()).isEqualTo(8);
    assertThat(s.errorCount()).isEqualTo(2);
    assertThat(s.services()).containsExactly("cart", "checkout", "frontend", "payment");
    assertThat(s.matchedSpans()).containsExactly(
        new MatchedSpan(6, "PlaceOrder", "checkout", T0 + 6 * MS, 84 * MS, Map.of()),
        new MatchedSpan(7, "Charge", "payment", T0 + 7 * MS, 50 * MS,
            Map.of("span.http.response.status_code", AttributeValue.of(503L))));
  }

  @Test
  void traceWithoutRootSaysSoLikeTempo() {
    storage.spanWriter().write(ShopTrace.spans().stream().filter(s -> !s.isRoot()).toList());
    TraceSummary s = service.search("{ }", T0, T0 + HOUR, 20).traces().get(0);
    assertThat(s.rootServiceName()).isEqualTo("<root span not yet received>");
    assertThat(s.rootName()).isEmpty();
    assertThat(s.spanCount()).isEqualTo(7);
    assertThat(s.startTimeUnixNano()).isEqualTo(T0 + 2 * MS);
  }

  @Test
  void onlyTracesWhollyInsideTheWindowCount() {
    TraceId crossing = new TraceId(9, 9);
    storage.spanWriter().write(List.of(
        single(1, "a", 10 * MS),
        TestSpans.simple(crossing, 1, 0, "a", "root", SpanKind.SERVER, T0 + 20 * MS, 50 * MS,
            Map.of()),
        TestSpans.simple(crossing, 2, 1, "b", "late", SpanKind.SERVER, T0 + 60 * MS, MS,
            Map.of())));
    assertThat(ids(service.search("{ }", T0, T0 + 40 * MS, 20)))
        .containsExactly(new TraceId(1, 1));
    assertThat(ids(service.search("{ }", T0, T0 + 60 * MS, 20)))
        .containsExactly(crossing, new TraceId(1, 1));
    assertThat(ids(service.search("{ }", T0 + 15 * MS, T0 + 60 * MS, 20)))
        .containsExactly(crossing);
  }

  @Test
  void newestFirstThenByTraceId() {
    storage.spanWriter().write(List.of(single(3, "a", 5 * MS), single(1, "a", 5 * MS),
        single(2, "a", 9 * MS), single(4, "a", MS)));
    assertThat(ids(service.search("{ }", T0, T0 + HOUR, 20))).containsExactly(
        new TraceId(1, 2), new TraceId(1, 1), new TraceId(1, 3), new TraceId(1, 4));
  }

  @Test
  void pushesTheHintDownAndReadsOnlyCandidates() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      spans.add(single(i, i % 20 == 0 ? "rare" : "common", i * MS));
    }
    storage.spanWriter().write(spans);
    SearchResult r = service.search("{ resource.service.name = \"rare\" && duration >= 1ms }",
        T0, T0 + HOUR, 100);
    assertThat(r.traces()).hasSize(10);
    assertThat(storage.traceReads).hasValue(10);
    assertThat(storage.searches.get(0).serviceName()).isEqualTo("rare");
    assertThat(storage.searches.get(0).minDurationNanos()).isEqualTo(MS);
    assertThat(storage.searches.get(0).startTimeMinNanos()).isEqualTo(T0);
    assertThat(storage.searches.get(0).startTimeMaxNanos()).isEqualTo(T0 + HOUR);
  }

  @Test
  void stopsOnceTheNewestAreKnownAndOneMoreMatchIsFound() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      spans.add(single(i, "svc", i * MS));
    }
    storage.spanWriter().write(spans);
    SearchResult r = service.search("{ }", T0, T0 + HOUR, 3);
    assertThat(ids(r)).containsExactly(new TraceId(1, 1000), new TraceId(1, 999),
        new TraceId(1, 998));
    assertThat(r.truncated()).isTrue();
    assertThat(storage.traceReads.get()).isLessThanOrEqualTo(SearchExecutor.MIN_CHUNK);
    assertThat(storage.searches).hasSize(1);
  }

  @Test
  void pagesThroughSparseMatchesUntilTheWindowIsExhausted() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      Span s = single(i, "svc", i * MS);
      spans.add(i % 100 == 0 ? s.toBuilder().status(StatusCode.ERROR, "").build() : s);
    }
    storage.spanWriter().write(spans);
    // the hint (service svc) selects every trace; the query only five, spread out
    SearchResult r = service.search("{ resource.service.name = \"svc\" && status != ok "
        + "&& status != unset }", T0, T0 + HOUR, 4);
    assertThat(ids(r)).containsExactly(new TraceId(1, 500), new TraceId(1, 400),
        new TraceId(1, 300), new TraceId(1, 200));
    assertThat(r.truncated()).isTrue();
    SearchResult all = service.search("{ resource.service.name = \"svc\" && status != ok "
        + "&& status != unset }", T0, T0 + HOUR, 5);
    assertThat(all.traces()).hasSize(5);
    assertThat(all.truncated()).isFalse();
    assertThat(storage.searches.size()).isGreaterThan(2);
  }

  @Test
  void tiesLargerThanAChunkAreAllFound() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 120; i++) {
      spans.add(single(i, "svc", 5 * MS));
    }
    storage.spanWriter().write(spans);
    TraceSearchService paging = new TraceSearchService(storage, 1, SearchExecutor.MAX_CHUNK,
        SearchExecutor.MAX_CANDIDATES);
    SearchResult r = paging.search("{ }", T0, T0 + HOUR, 200);
    assertThat(r.traces()).hasSize(120);
    assertThat(r.truncated()).isFalse();
    assertThat(ids(r)).isSortedAccordingTo(TraceId::compareTo);

    TraceSearchService tiny = new TraceSearchService(storage, 1, 4, 1000);
    assertThat(tiny.search("{ }", T0, T0 + HOUR, 200).truncated())
        .as("more ties at one instant than the largest chunk: gives up, says truncated")
        .isTrue();
  }

  @Test
  void workBoundStopsTheSearchAndSaysTruncated() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      spans.add(single(i, "svc", i * MS));
    }
    storage.spanWriter().write(spans);
    TraceSearchService bounded = new TraceSearchService(storage, 0, SearchExecutor.MAX_CHUNK,
        100);
    SearchResult r = bounded.search("{ name != \"op\" }", T0, T0 + HOUR, 10);
    assertThat(r.traces()).isEmpty();
    assertThat(r.truncated()).isTrue();
    assertThat(storage.traceReads).hasValue(100);
  }

  @Test
  void emptyStoreAndNoMatch() {
    assertThat(service.search("{ }", T0, T0 + HOUR, 10))
        .isEqualTo(new SearchResult(List.of(), false));
    storage.spanWriter().write(List.of(single(1, "a", MS)));
    assertThat(service.search("{ name = \"nope\" }", T0, T0 + HOUR, 10).traces()).isEmpty();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> service.search("{ ", T0, T0 + 1, 10))
        .isInstanceOf(TraceQlException.class);
    assertThatThrownBy(() -> service.search("{ }", T0 + 1, T0, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after its end");
    assertThatThrownBy(() -> service.search("{ }", T0, T0 + 1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> service.search("{ }", T0, T0 + 1, TraceSearchService.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void selectedFieldsReachTheSummary() {
    storage.spanWriter().write(ShopTrace.spans());
    TraceSummary s = service.search("{ name = \"SELECT\" } | select(span.db.system, kind)",
        T0, T0 + HOUR, 1).traces().get(0);
    assertThat(s.matchedSpans()).singleElement().satisfies(m -> assertThat(m.selected())
        .containsOnly(entry("span.db.system", AttributeValue.of("postgresql")),
            entry("span:kind", AttributeValue.of("client"))));
  }
}
