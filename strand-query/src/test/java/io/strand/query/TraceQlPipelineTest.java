package io.strand.query;

import static io.strand.query.TraceQlEvaluatorTest.check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.strand.model.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pipelines on {@link ShopTrace}: aggregates, grouping, stages, and selected fields. Span
 * durations in ms: 1:100 2:10 3:30 4:10 5:90 6:84 7:50 8:1.
 */
class TraceQlPipelineTest {

  private static final long MS = ShopTrace.MS;

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", value = {
      "{ resource.service.name = \"checkout\" } | count() > 1 -> 6 8",
      "{ resource.service.name = \"checkout\" } | count() > 2 -> ",
      "{ } | count() = 8 -> 1 2 3 4 5 6 7 8",
      "{ } | 7 < count() -> 1 2 3 4 5 6 7 8",
      "{ kind = client } | avg(duration) > 36ms -> 2 4 5",
      "{ kind = client } | avg(duration) > 37ms -> ",
      "{ kind = client } | avg(duration) < 0.037s -> 2 4 5",
      "{ } | max(duration) = 100ms -> 1 2 3 4 5 6 7 8",
      "{ } | min(duration) = 1ms -> 1 2 3 4 5 6 7 8",
      "{ } | sum(duration) = 375ms -> 1 2 3 4 5 6 7 8",
      "{ } | sum(duration) > 375ms -> ",
      "{ } | avg(duration) > min(duration) -> 1 2 3 4 5 6 7 8",
      "{ } | sum(span.retry) = 2 -> 1 2 3 4 5 6 7 8",
      "{ } | avg(span.ratio) = 0.5 -> 1 2 3 4 5 6 7 8",
      "{ } | max(span.http.response.status_code) = 503 -> 1 2 3 4 5 6 7 8",
      "{ } | min(span.http.response.status_code) = 200 -> 1 2 3 4 5 6 7 8",
      "{ } | avg(span.http.response.status_code) = 351.5 -> 1 2 3 4 5 6 7 8",
      "{ } | sum(span.wait_ns) = 2ms -> 1 2 3 4 5 6 7 8",
      "{ } | avg(span.nope) > 0 -> ",
      "{ } | sum(span.nope) < 1 -> ",
      "{ } | max(name) != 0 -> ",
      "{ } | count() > 1 | count() < 3 -> ",
      "{ status = error } | by(resource.service.name) | count() > 1 -> ",
      "{ } | by(resource.service.name) | count() > 2 -> 1 2 5",
      "{ } | by(resource.service.name) | count() > 1 -> 1 2 3 4 5 6 8",
      "{ } | by(kind) | count() = 1 -> 8",
      "{ } | by(kind) | coalesce() | count() = 8 -> 1 2 3 4 5 6 7 8",
      "{ } | by(span.db.system) | count() = 1 -> 4",
      "{ } | by(resource.service.name) | avg(duration) > 45ms -> 1 2 5 7",
      "{ } | { status = error } -> 6 7",
      "{ } | { status = error } | count() = 2 -> 6 7",
      "{ resource.service.name = \"checkout\" } | { } > { } -> 8",
      "({ resource.service.name = \"cart\" } | count() > 1) && { status = error } -> 3 4 6 7",
      "({ resource.service.name = \"cart\" } | count() > 2) || { status = error } -> 6 7",
      "({ resource.service.name = \"cart\" } | count() > 1) > { } -> 4",
  })
  void aggregatesAndStages(String query, String expected) {
    check(query, expected);
  }

  private static Map<Long, Map<String, AttributeValue>> selected(String query) {
    TraceMatch m = TraceQl.parse(query).evaluate(ShopTrace.spans()).orElseThrow();
    Map<Long, Map<String, AttributeValue>> out = new java.util.LinkedHashMap<>();
    m.spans().forEach(s -> out.put(s.span().spanId(), s.selected()));
    return out;
  }

  @Test
  void selectReturnsFieldsPerMatchedSpan() {
    Map<Long, Map<String, AttributeValue>> sel = selected("{ status = error } | select("
        + "span.http.response.status_code, resource.service.name, name, duration, span:id, "
        + "event:name, status)");
    assertThat(sel).containsOnlyKeys(6L, 7L);
    assertThat(sel.get(6L)).containsOnly(
        entry("resource.service.name", AttributeValue.of("checkout")),
        entry("span:name", AttributeValue.of("PlaceOrder")),
        entry("span:duration", AttributeValue.of(84 * MS)),
        entry("span:id", AttributeValue.of("0000000000000006")),
        entry("span:status", AttributeValue.of("error")));
    assertThat(sel.get(7L)).containsOnly(
        entry("span.http.response.status_code", AttributeValue.of(503L)),
        entry("resource.service.name", AttributeValue.of("payment")),
        entry("span:name", AttributeValue.of("Charge")),
        entry("span:duration", AttributeValue.of(50 * MS)),
        entry("span:id", AttributeValue.of("0000000000000007")),
        entry("event:name", AttributeValue.of("exception")),
        entry("span:status", AttributeValue.of("error")));
  }

  @Test
  void selectKeepsTheAttributesOwnValue() {
    Map<Long, Map<String, AttributeValue>> sel =
        selected("{ name = \"SELECT\" } | select(span.tags, kind, .service.name)");
    assertThat(sel.get(4L)).containsOnly(
        entry("span.tags", new AttributeValue.ArrayValue(
            List.of(AttributeValue.of("a"), AttributeValue.of("b")))),
        entry("span:kind", AttributeValue.of("client")),
        entry(".service.name", AttributeValue.of("cart")));
  }

  @Test
  void selectAfterAFilterAndInANestedPipeline() {
    Map<Long, Map<String, AttributeValue>> sel = selected("{ } | count() > 1 | select(span.retry)");
    assertThat(sel).hasSize(8);
    assertThat(sel.get(7L)).containsOnly(entry("span.retry", AttributeValue.of(2L)));
    assertThat(sel.get(1L)).isEmpty();

    sel = selected("({ name = \"Charge\" } | select(span.ratio)) || { name = \"audit\" }");
    assertThat(sel.get(7L)).containsOnly(entry("span.ratio", AttributeValue.of(0.5)));
    assertThat(sel.get(8L)).isEmpty();
  }
}
