package io.strand.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.StatusCode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the planner pushes down to the store, and what it must not. */
class QueryPlannerTest {

  private static final long S = 1_000_000_000L;

  private static SpanHint plan(String query) {
    return QueryPlanner.plan(TraceQl.parse(query).ast());
  }

  @Test
  void conjunctionOnOneSpanGoesToOneStoreQuery() {
    assertThat(plan("{ resource.service.name = \"a\" && span.http.status_code = 503 "
        + "&& duration > 1s }"))
        .isEqualTo(new SpanHint("a", null, null, Map.of("http.status_code", "503"), S + 1,
            Long.MAX_VALUE));
  }

  @Test
  void intrinsicsAndLiteralsOnEitherSide() {
    assertThat(plan("{ \"GET /\" = name && error = status && 2s >= duration }"))
        .isEqualTo(new SpanHint(null, "GET /", StatusCode.ERROR, Map.of(), 0, 2 * S));
    assertThat(plan("{ span:name = \"x\" && span:status = ok && span:duration < 1s }"))
        .isEqualTo(new SpanHint(null, "x", StatusCode.OK, Map.of(), 0, S - 1));
    assertThat(plan("{ duration >= 10ms && duration <= 20ms }"))
        .isEqualTo(new SpanHint(null, null, null, Map.of(), 10_000_000, 20_000_000));
    assertThat(plan("{ duration = 5ms }"))
        .isEqualTo(new SpanHint(null, null, null, Map.of(), 5_000_000, 5_000_000));
    assertThat(plan("{ duration > 1.5 }").minDurationNanos()).isEqualTo(2);
  }

  @Test
  void attributeEqualitiesOfStringsIntsAndBooleans() {
    assertThat(plan("{ span.k = \"v\" && resource.r = 7 && .u = true && span.d = 1.5 }")
        .attributes()).isEqualTo(Map.of("k", "v", "r", "7", "u", "true"));
    assertThat(plan("{ span.cache.hit }").attributes()).isEqualTo(Map.of("cache.hit", "true"));
    assertThat(plan("{ .service.name = \"a\" }").attributes())
        .isEqualTo(Map.of("service.name", "a"));
    assertThat(plan("{ span.service.name = \"a\" }").serviceName()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{ }",
      "{ name = \"a\" || name = \"b\" }",
      "{ !(name = \"a\") }",
      "{ name != \"a\" }",
      "{ name =~ \"a.*\" }",
      "{ span.k > 3 }",
      "{ span.k = nil }",
      "{ span.k != \"v\" }",
      "{ kind = server }",
      "{ event.k = \"v\" && link.k = \"v\" && event:name = \"e\" }",
      "{ instrumentation.k = \"v\" }",
      "{ span.a = span.b }",
      "{ resource.service.name = \"\" }",
      "{ name = \"a\" } || { name = \"b\" }",
      "{ trace:duration > 1s }",
      "{ status != error }",
  })
  void nothingIsPushedWhenNoSpanMustSatisfyACriterion(String query) {
    assertThat(plan(query)).isEqualTo(SpanHint.ANY);
  }

  @Test
  void andAndStructuralOperatorsTakeTheMoreSelectiveSide() {
    assertThat(plan("{ resource.service.name = \"a\" } && { span.x = 1 && name = \"n\" }"))
        .isEqualTo(new SpanHint(null, "n", null, Map.of("x", "1"), 0, Long.MAX_VALUE));
    assertThat(plan("{ span.x = 1 && name = \"n\" } >> { resource.service.name = \"a\" }")
        .operationName()).isEqualTo("n");
    assertThat(plan("{ resource.service.name = \"a\" } > { status = error && name = \"n\" }")
        .operationName()).isEqualTo("n");
    assertThat(plan("{ name = \"n\" } &~ { }").operationName()).isEqualTo("n");
    assertThat(plan("{ resource.service.name = \"a\" } ~ { resource.service.name = \"b\" }")
        .serviceName()).isEqualTo("a");
  }

  @Test
  void negatedStructuralOperatorsUseOnlyTheRightSide() {
    assertThat(plan("{ name = \"n\" && span.x = 1 } !> { resource.service.name = \"a\" }"))
        .isEqualTo(new SpanHint("a", null, null, Map.of(), 0, Long.MAX_VALUE));
    assertThat(plan("{ name = \"n\" } !<< { }")).isEqualTo(SpanHint.ANY);
  }

  @Test
  void pipelinesUseTheirInputOrASpansetStage() {
    assertThat(plan("{ resource.service.name = \"a\" } | count() > 3 | select(span.x)")
        .serviceName()).isEqualTo("a");
    assertThat(plan("{ } | { status = error }").statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(plan("({ name = \"n\" } | count() > 1) && { }").operationName()).isEqualTo("n");
  }

  @Test
  void rootIntrinsicsHoldOnTheRootSpan() {
    assertThat(plan("{ trace:rootService = \"gw\" && trace:rootName = \"GET /\" }"))
        .isEqualTo(new SpanHint("gw", "GET /", null, Map.of(), 0, Long.MAX_VALUE));
    // a span criterion and a root criterion need not hold on the same span: the better one only
    assertThat(plan("{ trace:rootService = \"gw\" && span.x = 1 && span.y = 2 }"))
        .isEqualTo(new SpanHint(null, null, null, Map.of("x", "1", "y", "2"), 0, Long.MAX_VALUE));
  }

  @Test
  void contradictoryDurationBoundsAreDroppedNotInvalid() {
    SpanHint h = plan("{ duration > 2s && duration < 1s && name = \"n\" }");
    assertThat(h.minDurationNanos()).isZero();
    assertThat(h.maxDurationNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(h.operationName()).isEqualTo("n");
    assertThat(plan("{ duration < 0s }").maxDurationNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void firstValueWinsForRepeatedCriteria() {
    assertThat(plan("{ name = \"a\" && name = \"b\" && span.k = 1 && span.k = 2 }"))
        .isEqualTo(new SpanHint(null, "a", null, Map.of("k", "1"), 0, Long.MAX_VALUE));
  }
}
