package io.strand.query;

import static io.strand.query.TraceQlEvaluatorTest.check;
import static io.strand.query.TraceQlEvaluatorTest.matchedIds;
import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spanset operators on {@link ShopTrace}, odd trace shapes, and traces of 20,000 spans. */
class TraceQlStructuralTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      "{ name = \"SELECT\" } && { status = error } -> 4 6 7",
      "{ name = \"SELECT\" } && { name = \"nope\" } -> ",
      "{ name = \"nope\" } && { name = \"SELECT\" } -> ",
      "{ name = \"SELECT\" } || { name = \"nope\" } -> 4",
      "{ name = \"SELECT\" } || { status = error } -> 4 6 7",
      // child: right spans whose parent is a left span
      "{ resource.service.name = \"checkout\" } > { status = error } -> 7",
      "{ resource.service.name = \"checkout\" } > { } -> 7 8",
      "{ kind = client } > { kind = server } -> 3 6",
      "{ name = \"audit\" } > { } -> ",
      // parent: right spans that are the parent of a left span
      "{ status = error } < { } -> 5 6",
      "{ } < { name = \"SELECT\" } -> ",
      // descendant and ancestor
      "{ resource.service.name = \"checkout\" } >> { } -> 7 8",
      "{ name = \"GET /cart\" } >> { status = error } -> 6 7",
      "{ status = error } << { } -> 1 5 6",
      "{ name = \"SELECT\" } << { resource.service.name = \"frontend\" } -> 1 2",
      // sibling: shares the parent with a different left span
      "{ name = \"audit\" } ~ { } -> 7",
      "{ name = \"call cart\" } ~ { } -> 5",
      "{ } ~ { name = \"GET /cart\" } -> ",
      "{ name = \"call cart\" } ~ { name = \"call cart\" } -> ",
      // negated: right spans without the relation
      "{ } !< { resource.service.name = \"cart\" } -> 4",
      "{ status = error } !> { } -> 1 2 3 4 5 6",
      "{ status = error } !>> { } -> 1 2 3 4 5 6",
      "{ status = error } !<< { } -> 2 3 4 7 8",
      "{ name = \"audit\" } !~ { } -> 1 2 3 4 5 6 8",
      "{ name = \"nope\" } !> { kind = client } -> 2 4 5",
      "{ status = error } !< { status = error } -> 7",
      // union: both sides' spans taking part in the relation
      "{ name = \"PlaceOrder\" } &> { status = error } -> 6 7",
      "{ name = \"Charge\" } &< { } -> 6 7",
      "{ status = error } &>> { name = \"audit\" } -> 6 8",
      "{ name = \"SELECT\" } &<< { resource.service.name = \"frontend\" } -> 1 2 4",
      "{ name = \"call cart\" } &~ { } -> 2 5",
      "{ name = \"nope\" } &> { } -> ",
      // chains and grouping
      "{ name = \"GET /cart\" } > { kind = client } > { kind = server } -> 3 6",
      "({ name = \"call cart\" } || { name = \"call checkout\" }) > { } -> 3 6",
      "{ name = \"SELECT\" } && { resource.service.name = \"payment\" } > { } -> ",
      "{ kind = internal } && { resource.service.name = \"payment\" } < { } -> 6 8",
  })
  void spansetOperators(String query, String expected) {
    check(query, expected);
  }

  @Test
  void zipkinSharedSpanServerHalfIsTheClientHalfsChild() {
    Span client = ShopTrace.span(9, 1, "a", "call").kind(SpanKind.CLIENT).build();
    Span server = ShopTrace.span(9, 1, "b", "call").kind(SpanKind.SERVER).build();
    Span work = ShopTrace.span(10, 9, "b", "work").kind(SpanKind.INTERNAL).build();
    Span root = ShopTrace.span(1, 0, "a", "root").build();
    List<Span> trace = List.of(root, server, client, work);
    assertThat(matchedIds("{ kind = client } > { kind = server }", trace)).containsExactly(9L);
    assertThat(TraceQl.parse("{ kind = client } > { kind = server }").evaluate(trace).get()
        .matchedSpans()).containsExactly(server);
    assertThat(TraceQl.parse("{ resource.service.name = \"b\" && kind = server } > { }")
        .evaluate(trace).get().matchedSpans()).containsExactly(work);
    assertThat(TraceQl.parse("{ name = \"root\" } > { }").evaluate(trace).get()
        .matchedSpans()).containsExactly(client);
  }

  @Test
  void orphansWithoutRootHaveNoRootFieldsAndAreSiblingsByTheirMissingParent() {
    List<Span> trace = List.of(
        ShopTrace.span(2, 99, "a", "x").build(),
        ShopTrace.span(3, 99, "a", "y").build(),
        ShopTrace.span(4, 98, "a", "z").build(),
        ShopTrace.span(5, 2, "a", "child").build());
    assertThat(matchedIds("{ trace:rootName = nil }", trace)).containsExactly(2L, 3L, 4L, 5L);
    assertThat(matchedIds("{ trace:rootService != nil }", trace)).isEmpty();
    assertThat(matchedIds("{ name = \"x\" } ~ { }", trace)).containsExactly(3L);
    assertThat(matchedIds("{ } > { }", trace)).containsExactly(5L);
    assertThat(matchedIds("{ } << { name = \"y\" }", trace)).isEmpty();
    assertThat(matchedIds("{ name = \"child\" } << { }", trace)).containsExactly(2L);
  }

  @Test
  void cyclicParentLinksDoNotHang() {
    List<Span> trace = List.of(
        ShopTrace.span(1, 3, "a", "one").build(),
        ShopTrace.span(2, 1, "a", "two").build(),
        ShopTrace.span(3, 2, "a", "three").build(),
        ShopTrace.span(4, 4, "a", "self").build());
    assertThat(matchedIds("{ } >> { }", trace)).hasSizeLessThan(4);
    assertThat(matchedIds("{ } << { }", trace)).hasSizeLessThan(4);
    assertThat(matchedIds("{ name = \"self\" } > { }", trace)).isEmpty();
    assertThat(matchedIds("{ } | count() = 4", trace)).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void emptyTraceNeverMatches() {
    assertThat(TraceQl.parse("{ }").evaluate(List.of())).isEmpty();
  }

  @Test
  void matchedSpansAreInStartOrderOnce() {
    List<Span> shuffled = new ArrayList<>(ShopTrace.spans());
    java.util.Collections.reverse(shuffled);
    assertThat(matchedIds("{ status = error } || { } >> { status = error } || { }", shuffled))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  /** A chain 20,000 deep: every operator must stay linear and iterative. */
  private static List<Span> chain(int n) {
    List<Span> spans = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      spans.add(Span.builder(ShopTrace.ID, i).parentSpanId(i - 1).name(i == n ? "leaf" : "op")
          .startTimeUnixNano(T0 + i).endTimeUnixNano(T0 + 2L * n - i)
          .resource(ShopTrace.resource(i % 2 == 0 ? "even" : "odd")).build());
    }
    return spans;
  }

  /** A root with 20,000 children. */
  private static List<Span> wide(int n) {
    List<Span> spans = new ArrayList<>(n + 1);
    spans.add(ShopTrace.span(1, 0, "root", "root").build());
    for (int i = 2; i <= n + 1; i++) {
      spans.add(Span.builder(ShopTrace.ID, i).parentSpanId(1).name(i == 2 ? "first" : "op")
          .startTimeUnixNano(T0 + i).endTimeUnixNano(T0 + i + 5)
          .resource(ShopTrace.resource("child")).build());
    }
    return spans;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ } >> { }", "{ } << { }", "{ } > { }", "{ } < { }", "{ } ~ { }", "{ } !~ { }",
      "{ } !>> { }", "{ } !<< { }", "{ } &>> { }", "{ } &~ { }", "{ } | count() > 10",
      "{ resource.service.name = \"odd\" } >> { name = \"leaf\" } | select(span:id)",
  })
  void largeTracesEvaluateQuickly(String query) {
    List<Span> deep = chain(20_000);
    List<Span> broad = wide(20_000);
    TraceQlQuery q = TraceQl.parse(query);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      for (int i = 0; i < 5; i++) {
        q.evaluate(deep);
        q.evaluate(broad);
      }
    });
  }

  @Test
  void largeTraceResultsAreRight() {
    List<Span> deep = chain(20_000);
    assertThat(matchedIds("{ name = \"leaf\" } << { }", deep)).hasSize(19_999);
    assertThat(matchedIds("{ } >> { name = \"leaf\" }", deep)).containsExactly(20_000L);
    assertThat(matchedIds("{ } !>> { }", deep)).containsExactly(1L);
    List<Span> broad = wide(20_000);
    assertThat(matchedIds("{ name = \"first\" } ~ { }", broad)).hasSize(19_999);
    assertThat(matchedIds("{ } !~ { }", broad)).containsExactly(1L);
    assertThat(matchedIds("{ } < { }", broad)).containsExactly(1L);
  }
}
