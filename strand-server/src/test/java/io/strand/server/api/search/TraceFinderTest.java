package io.strand.server.api.search;

import static io.strand.server.api.search.TestSpans.span;
import static io.strand.server.api.search.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TraceFinderTest {

  private final InMemoryStorage store = new InMemoryStorage();

  /** Traces 1..n of service "shop", trace i starting i minutes ago (1 is newest). */
  private void storeTraces(int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      Span.Builder b = span(traceId(i), i, "shop", "op", i, 10);
      if (i % 40 == 0) {
        b.status(StatusCode.ERROR, "boom");
      }
      spans.add(b.build());
    }
    store.write(spans);
  }

  private static List<TraceId> ids(List<List<Span>> traces) {
    return traces.stream().map(t -> t.get(0).traceId()).toList();
  }

  @Test
  void returnsWholeTracesNewestFirstUpToTheLimit() {
    storeTraces(5);
    store.write(List.of(span(traceId(3), 99, "auth", "check", 3, 1).build()));
    TraceFinder finder = new TraceFinder(store);
    List<List<Span>> found = finder.find(
        List.of(SearchCriteria.of(TraceQuery.builder().serviceName("shop").build())), 3);
    assertThat(ids(found)).containsExactly(traceId(1), traceId(2), traceId(3));
    assertThat(found.get(2)).as("whole trace, not only matching spans").hasSize(2);
  }

  @Test
  void mergesAlternativesWithoutDuplicates() {
    storeTraces(6);
    TraceFinder finder = new TraceFinder(store);
    TraceQuery any = TraceQuery.builder().serviceName("shop").build();
    List<List<Span>> found = finder.find(List.of(
        new SearchCriteria(any, s -> s.spanId() % 2 == 0),
        new SearchCriteria(any, s -> s.spanId() % 3 == 0)), 10);
    assertThat(ids(found)).containsExactly(traceId(2), traceId(3), traceId(4), traceId(6));
  }

  @Test
  void pagesBackInTimeUntilTheFilterHasAccepted() {
    storeTraces(200); // traces 40, 80, 120, 160, 200 have an ERROR span
    AtomicInteger reads = new AtomicInteger();
    TraceReader counting = id -> {
      reads.incrementAndGet();
      return store.getTrace(id);
    };
    TraceFinder finder = new TraceFinder(store.traceSearch(), counting);
    List<List<Span>> found = finder.find(List.of(new SearchCriteria(
        TraceQuery.builder().serviceName("shop").build(),
        s -> s.statusCode() == StatusCode.ERROR)), 3);
    assertThat(ids(found)).containsExactly(traceId(40), traceId(80), traceId(120));
    assertThat(reads.get()).as("stops once it has enough").isLessThan(200);
  }

  @Test
  void aFilterThatMatchesNothingStopsWhenTheStoreRunsDry() {
    storeTraces(120);
    TraceFinder finder = new TraceFinder(store);
    assertThat(finder.find(List.of(new SearchCriteria(
        TraceQuery.builder().build(), s -> false)), 10)).isEmpty();
  }

  @Test
  void theSpanFilterAndTheQueryMustHoldForTheSameSpan() {
    store.write(List.of(
        span(traceId(1), 1, "shop", "a", 1, 10).status(StatusCode.ERROR, "").build(),
        span(traceId(1), 2, "shop", "b", 1, 10).build()));
    TraceFinder finder = new TraceFinder(store);
    TraceQuery named = TraceQuery.builder().operationName("b").build();
    assertThat(finder.find(List.of(new SearchCriteria(named,
        s -> s.statusCode() == StatusCode.ERROR)), 10)).isEmpty();
    assertThat(finder.find(List.of(new SearchCriteria(named,
        s -> s.statusCode() == StatusCode.UNSET)), 10)).hasSize(1);
  }
}
