package io.strand.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.query.traceql.AttributeScope;
import io.strand.query.traceql.CompareOp;
import io.strand.query.traceql.FieldExpr;
import io.strand.query.traceql.FieldRef;
import io.strand.query.traceql.Intrinsic;
import io.strand.query.traceql.ScalarExpr;
import io.strand.query.traceql.SpansetExpr;
import io.strand.query.traceql.SpansetOperator;
import io.strand.query.traceql.Stage;
import io.strand.query.traceql.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every construct parses to the expected tree; the canonical form shows the tree. */
class TraceQlParserTest {

  private static String ast(String query) {
    return TraceQl.parse(query).toString();
  }

  private static SpansetExpr tree(String query) {
    return TraceQl.parse(query).ast();
  }

  /** A query whose canonical form re-parses to the same tree. */
  private static void roundTrips(String query) {
    SpansetExpr first = tree(query);
    assertThat(tree(first.toString())).as(first.toString()).isEqualTo(first);
  }

  @Test
  void emptyFilterSelectsEverySpan() {
    assertThat(tree("{ }")).isEqualTo(SpansetExpr.Filter.ALL);
    assertThat(tree("{}")).isEqualTo(SpansetExpr.Filter.ALL);
    assertThat(ast("  {\n}\t")).isEqualTo("{ }");
  }

  @Test
  void comparisonBuildsTheExpectedNodes() {
    assertThat(tree("{ span.http.request.method = \"GET\" }")).isEqualTo(new SpansetExpr.Filter(
        new FieldExpr.Comparison(CompareOp.EQ,
            new FieldRef.Attribute(AttributeScope.SPAN, "http.request.method"),
            new FieldExpr.Literal(new Value.Text("GET")))));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ span.http.request.method = \"GET\" } -> { span.http.request.method = \"GET\" }",
      "{ span.\"http.request.method\" = \"GET\" } -> { span.http.request.method = \"GET\" }",
      "{ resource.\"service.name\" = \"a\" } -> { resource.service.name = \"a\" }",
      "{ resource.service.name=\"a\" } -> { resource.service.name = \"a\" }",
      "{ .foo = 1 } -> { .foo = 1 }",
      "{ .\"a b\" = 1 } -> { .\"a b\" = 1 }",
      "{ span.\"attribute name with space\" = 1 } -> { span.\"attribute name with space\" = 1 }",
      "{ span.attr.\"with space\" = 1 } -> { span.\"attr.with space\" = 1 }",
      "{ span.\"q\\\"uote\" = 1 } -> { span.\"q\\\"uote\" = 1 }",
      "{ event.exception.message = \"x\" } -> { event.exception.message = \"x\" }",
      "{ link.opentracing.ref_type = \"x\" } -> { link.opentracing.ref_type = \"x\" }",
      "{ instrumentation.language = \"java\" } -> { instrumentation.language = \"java\" }",
      "{ span.k8s-pod/name:x = 1 } -> { span.k8s-pod/name:x = 1 }",
  })
  void attributes(String query, String expected) {
    assertThat(ast(query)).isEqualTo(expected);
    roundTrips(query);
  }

  @Test
  void quotedKeysKeepControlCharactersInTheCanonicalForm() {
    // A quoted key knows only the escapes \" and \\; the canonical form once wrote a newline in
    // a key as \n, which the lexer refuses.
    String query = "{ span.\"a\nb\tc\rd \\\\ \\\" e\" = 1 }";
    assertThat(firstField(query))
        .isEqualTo(new FieldRef.Attribute(AttributeScope.SPAN, "a\nb\tc\rd \\ \" e"));
    assertThat(ast(query)).isEqualTo(query);
    roundTrips(query);
  }

  @Test
  void dottedAndQuotedKeysAreTheSameKey() {
    FieldRef.Attribute dotted = new FieldRef.Attribute(AttributeScope.RESOURCE, "service.name");
    assertThat(firstField("{ resource.service.name = \"a\" }")).isEqualTo(dotted);
    assertThat(firstField("{ resource.\"service.name\" = \"a\" }")).isEqualTo(dotted);
    assertThat(firstField("{ .x.y = 1 }"))
        .isEqualTo(new FieldRef.Attribute(AttributeScope.UNSCOPED, "x.y"));
  }

  private static FieldExpr firstField(String query) {
    FieldExpr.Comparison c = (FieldExpr.Comparison) ((SpansetExpr.Filter) tree(query)).condition();
    return c.left();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "name -> span:name",
      "span:name -> span:name",
      "status -> span:status",
      "span:status -> span:status",
      "statusMessage -> span:statusMessage",
      "span:statusMessage -> span:statusMessage",
      "kind -> span:kind",
      "span:kind -> span:kind",
      "duration -> span:duration",
      "span:duration -> span:duration",
      "span:id -> span:id",
      "span:parentID -> span:parentID",
      "childCount -> span:childCount",
      "span:childCount -> span:childCount",
      "rootName -> trace:rootName",
      "trace:rootName -> trace:rootName",
      "rootServiceName -> trace:rootService",
      "trace:rootService -> trace:rootService",
      "traceDuration -> trace:duration",
      "trace:duration -> trace:duration",
      "trace:id -> trace:id",
      "event:name -> event:name",
      "event:timeSinceStart -> event:timeSinceStart",
      "link:traceID -> link:traceID",
      "link:spanID -> link:spanID",
      "instrumentation:name -> instrumentation:name",
  })
  void intrinsicsInEverySpelling(String spelling, String canonical) {
    FieldExpr field = firstField("{ " + spelling + " != nil }");
    assertThat(field).isInstanceOf(FieldRef.IntrinsicField.class);
    assertThat(field.toString()).isEqualTo(canonical);
    assertThat(((FieldRef.IntrinsicField) field).intrinsic())
        .isEqualTo(Intrinsic.forSpelling(canonical));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ .a = \"s\" } -> { .a = \"s\" }",
      "{ .a = `raw\\d+\"` } -> { .a = \"raw\\\\d+\\\"\" }",
      "{ .a = \"e\\\"s\\\\c\\n\" } -> { .a = \"e\\\"s\\\\c\\n\" }",
      "{ .a = \"\\u00e9\" } -> { .a = \"é\" }",
      "{ .a = 42 } -> { .a = 42 }",
      "{ .a = -42 } -> { .a = -42 }",
      "{ .a = 1.5 } -> { .a = 1.5 }",
      "{ .a = -0.25 } -> { .a = -0.25 }",
      "{ .a = -0.0 } -> { .a = -0.0 }",
      "{ .a = 0.0 } -> { .a = 0.0 }",
      "{ .a = \"\\u00E9\\u00e9\\uD83D\\uDE00\" } -> { .a = \"éé\uD83D\uDE00\" }",
      "{ .a = true } -> { .a = true }",
      "{ .a = false } -> { .a = false }",
      "{ .a = nil } -> { .a = nil }",
      "{ .a != nil } -> { .a != nil }",
      "{ .a = minInt } -> { .a = minInt }",
      "{ .a = maxInt } -> { .a = 9223372036854775807 }",
      "{ duration > 250ms } -> { span:duration > 250ms }",
      "{ duration > 1.5s } -> { span:duration > 1500ms }",
      "{ duration > 2m } -> { span:duration > 2m }",
      "{ duration > 1h } -> { span:duration > 1h }",
      "{ duration > 10us } -> { span:duration > 10us }",
      "{ duration > 10µs } -> { span:duration > 10us }",
      "{ duration > 100ns } -> { span:duration > 100ns }",
      "{ duration > 1h30m } -> { span:duration > 90m }",
      "{ duration > 0s } -> { span:duration > 0s }",
      "{ event:timeSinceStart > -5s } -> { event:timeSinceStart > -5s }",
      "{ status = ok } -> { span:status = ok }",
      "{ status = error } -> { span:status = error }",
      "{ status = unset } -> { span:status = unset }",
      "{ kind = unspecified } -> { span:kind = unspecified }",
      "{ kind = internal } -> { span:kind = internal }",
      "{ kind = server } -> { span:kind = server }",
      "{ kind = client } -> { span:kind = client }",
      "{ kind = producer } -> { span:kind = producer }",
      "{ kind = consumer } -> { span:kind = consumer }",
  })
  void literals(String query, String expected) {
    assertThat(ast(query)).isEqualTo(expected);
    roundTrips(query);
  }

  @Test
  void durationLiteralsAreNanoseconds() {
    assertThat(literal("{ duration > 1.5s }")).isEqualTo(new Value.Dur(1_500_000_000L));
    assertThat(literal("{ duration > 2m }")).isEqualTo(new Value.Dur(120_000_000_000L));
    assertThat(literal("{ duration > 10us }")).isEqualTo(new Value.Dur(10_000L));
    assertThat(literal("{ duration > 100ns }")).isEqualTo(new Value.Dur(100L));
    assertThat(literal("{ duration > 1d }")).isEqualTo(new Value.Dur(86_400_000_000_000L));
  }

  private static Value literal(String query) {
    FieldExpr.Comparison c = (FieldExpr.Comparison) ((SpansetExpr.Filter) tree(query)).condition();
    return ((FieldExpr.Literal) c.right()).value();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ .a = 1 } -> =",
      "{ .a != 1 } -> !=",
      "{ .a > 1 } -> >",
      "{ .a >= 1 } -> >=",
      "{ .a < 1 } -> <",
      "{ .a <= 1 } -> <=",
      "{ .a =~ \"x\" } -> =~",
      "{ .a !~ \"x\" } -> !~",
  })
  void comparisonOperators(String query, String symbol) {
    FieldExpr.Comparison c = (FieldExpr.Comparison) ((SpansetExpr.Filter) tree(query)).condition();
    assertThat(c.op().symbol()).isEqualTo(symbol);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ .a = 1 && .b = 2 } -> { (.a = 1 && .b = 2) }",
      "{ .a = 1 || .b = 2 } -> { (.a = 1 || .b = 2) }",
      // Tempo's grammar: && and || share one level and associate to the left.
      "{ .a = 1 || .b = 2 && .c = 3 } -> { ((.a = 1 || .b = 2) && .c = 3) }",
      "{ .a = 1 && .b = 2 || .c = 3 } -> { ((.a = 1 && .b = 2) || .c = 3) }",
      "{ .a = 1 || (.b = 2 && .c = 3) } -> { (.a = 1 || (.b = 2 && .c = 3)) }",
      "{ !(.a = 1) } -> { !(.a = 1) }",
      "{ !(.a = 1 && .b = 2) } -> { !(.a = 1 && .b = 2) }",
      "{ !!(.a = 1) } -> { !(!(.a = 1)) }",
      "{ span.cache.hit } -> { span.cache.hit = true }",
      "{ !span.cache.hit } -> { !(span.cache.hit = true) }",
      "{ span.cache.hit || .b = 2 } -> { (span.cache.hit = true || .b = 2) }",
      "{ false } -> { false }",
      "{ true } -> { }",
      "{ 200 = span.code } -> { 200 = span.code }",
      "{ span.a = span.b } -> { span.a = span.b }",
      "{ ((.a = 1)) } -> { .a = 1 }",
  })
  void logicalExpressions(String query, String expected) {
    assertThat(ast(query)).isEqualTo(expected);
    roundTrips(query);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ .a = 1 } && { .b = 2 } -> ({ .a = 1 } && { .b = 2 })",
      "{ .a = 1 } || { .b = 2 } -> ({ .a = 1 } || { .b = 2 })",
      "{ .a = 1 } > { .b = 2 } -> ({ .a = 1 } > { .b = 2 })",
      "{ .a = 1 } < { .b = 2 } -> ({ .a = 1 } < { .b = 2 })",
      "{ .a = 1 } >> { .b = 2 } -> ({ .a = 1 } >> { .b = 2 })",
      "{ .a = 1 } << { .b = 2 } -> ({ .a = 1 } << { .b = 2 })",
      "{ .a = 1 } ~ { .b = 2 } -> ({ .a = 1 } ~ { .b = 2 })",
      "{ .a = 1 } !> { .b = 2 } -> ({ .a = 1 } !> { .b = 2 })",
      "{ .a = 1 } !< { .b = 2 } -> ({ .a = 1 } !< { .b = 2 })",
      "{ .a = 1 } !>> { .b = 2 } -> ({ .a = 1 } !>> { .b = 2 })",
      "{ .a = 1 } !<< { .b = 2 } -> ({ .a = 1 } !<< { .b = 2 })",
      "{ .a = 1 } !~ { .b = 2 } -> ({ .a = 1 } !~ { .b = 2 })",
      "{ .a = 1 } &> { .b = 2 } -> ({ .a = 1 } &> { .b = 2 })",
      "{ .a = 1 } &< { .b = 2 } -> ({ .a = 1 } &< { .b = 2 })",
      "{ .a = 1 } &>> { .b = 2 } -> ({ .a = 1 } &>> { .b = 2 })",
      "{ .a = 1 } &<< { .b = 2 } -> ({ .a = 1 } &<< { .b = 2 })",
      "{ .a = 1 } &~ { .b = 2 } -> ({ .a = 1 } &~ { .b = 2 })",
      "{}>>{} -> ({ } >> { })",
      // Structural operators bind tighter than && and ||, which share a level (Tempo's grammar).
      "{ } && { } > { } -> ({ } && ({ } > { }))",
      "{ } > { } >> { } -> (({ } > { }) >> { })",
      "{ } || { } && { } -> (({ } || { }) && { })",
      "({ } || { }) > { } -> (({ } || { }) > { })",
      "{ } > ({ } || { }) -> ({ } > ({ } || { }))",
  })
  void spansetOperators(String query, String expected) {
    assertThat(ast(query)).isEqualTo(expected);
    roundTrips(query);
  }

  @Test
  void spansetOperationNodes() {
    assertThat(tree("{ } !>> { .b = 2 }")).isEqualTo(new SpansetExpr.Operation(
        SpansetOperator.NOT_DESCENDANT, SpansetExpr.Filter.ALL,
        new SpansetExpr.Filter(new FieldExpr.Comparison(CompareOp.EQ,
            new FieldRef.Attribute(AttributeScope.UNSCOPED, "b"),
            new FieldExpr.Literal(new Value.Int(2))))));
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ } | count() > 3 -> ({ } | count() > 3)",
      "{ } | count() >= 3 -> ({ } | count() >= 3)",
      "{ } | 3 < count() -> ({ } | 3 < count())",
      "{ } | avg(duration) > 1s -> ({ } | avg(span:duration) > 1s)",
      "{ } | min(span.x) < -2 -> ({ } | min(span.x) < -2)",
      "{ } | max(span.x) = 2.5 -> ({ } | max(span.x) = 2.5)",
      "{ } | count() > -0.0 -> ({ } | count() > -0.0)",
      "{ } | sum(span.bytes) != 100 -> ({ } | sum(span.bytes) != 100)",
      "{ } | avg(duration) > min(duration) -> ({ } | avg(span:duration) > min(span:duration))",
      "{ } | select(span.a, resource.b, name) -> ({ } | select(span.a, resource.b, span:name))",
      "{ } | count() > 1 | select(span.a) -> ({ } | count() > 1 | select(span.a))",
      "{ status = error } | by(resource.service.name) | count() > 1 "
          + "-> ({ span:status = error } | by(resource.service.name) | count() > 1)",
      "{ } | by(name) | coalesce() -> ({ } | by(span:name) | coalesce())",
      "{ } | { status = error } -> ({ } | { span:status = error })",
      "{ } | { } > { .a = 1 } -> ({ } | ({ } > { .a = 1 }))",
      "({ .a = 1 } | count() > 1) && { .b = 2 } -> (({ .a = 1 } | count() > 1) && { .b = 2 })",
      "({ } | count() > 1) > ({ } | select(.x)) -> (({ } | count() > 1) > ({ } | select(.x)))",
  })
  void pipelines(String query, String expected) {
    assertThat(ast(query)).isEqualTo(expected);
    roundTrips(query);
  }

  @Test
  void pipelineNodes() {
    assertThat(tree("{ } | avg(duration) > 1s | select(span.a)")).isEqualTo(
        new SpansetExpr.Pipeline(SpansetExpr.Filter.ALL, List.of(
            new Stage.ScalarFilter(
                new ScalarExpr.Aggregate(ScalarExpr.Function.AVG,
                    new FieldRef.IntrinsicField(Intrinsic.DURATION)),
                CompareOp.GT, new FieldExpr.Literal(new Value.Dur(1_000_000_000L))),
            new Stage.Select(List.of(new FieldRef.Attribute(AttributeScope.SPAN, "a"))))));
  }

  @Test
  void legacyAndScopedSpellingsGiveEqualTrees() {
    assertThat(tree("{ name = \"a\" && duration > 1s && rootServiceName = \"s\" }"))
        .isEqualTo(tree(
            "{ span:name = \"a\" && span:duration > 1s && trace:rootService = \"s\" }"));
  }

  @Test
  void tempoQueryHintsAreAcceptedAndIgnored() {
    assertThat(tree("{ } with (most_recent=true)")).isEqualTo(SpansetExpr.Filter.ALL);
    assertThat(ast("{ .a = 1 } | count() > 1 with (most_recent = true, x = \"y\", n = 3)"))
        .isEqualTo("({ .a = 1 } | count() > 1)");
  }

  @Test
  void queryKeepsItsText() {
    TraceQlQuery q = TraceQl.parse("{ name = \"a\" }");
    assertThat(q.text()).isEqualTo("{ name = \"a\" }");
  }
}
