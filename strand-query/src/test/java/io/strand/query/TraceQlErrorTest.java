package io.strand.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.strand.query.traceql.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed queries fail with the position of the problem and what was expected there. */
class TraceQlErrorTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '#', value = {
      "{ span.x = \"abc\" foo } -> 17 -> expected '}' but found 'foo'",
      "#{ name = \"a\" # -> 13 -> expected '}' but found end of input",
      "{ durationn > 1s } -> 2 -> unknown intrinsic 'durationn'",
      "{ span:foo = 1 } -> 2 -> unknown intrinsic 'span:foo'",
      "{ x = 1 } -> 2 -> unknown intrinsic 'x'",
      "{ span.foo = } -> 13 -> expected a field or value but found '}'",
      "{ span. = 1 } -> 7 -> expected an attribute name after 'span.'",
      "{ name = \"abc } -> 9 -> unterminated string",
      "{ span.\"abc = 1 } -> 7 -> unterminated quoted attribute name",
      "{ duration > 1x } -> 13 -> invalid duration '1x'",
      "{ duration > 1.s } -> 14 -> expected digits after '1.'",
      "{ } | count( > 3 -> 13 -> expected ')' but found '>'",
      "{ } | avg() > 1 -> 10 -> expected a field to aggregate but found ')'",
      "#{ } | count() > # -> 16 -> expected an aggregate or a number but found end of input",
      "{ } | count() =~ 1 -> 14 -> expected a comparison operator but found '=~'",
      "{ } | 1 > 2 -> 6 -> a pipeline filter needs an aggregate such as count()",
      "{ .a = 1 } | foo() > 1 -> 13 -> unknown pipeline function 'foo'",
      "#{ .a = 1 } | # -> 13 -> expected a pipeline stage but found end of input",
      "{ } | select() -> 13 -> expected a field to select but found ')'",
      "{ } | by(span.x -> 15 -> expected ')' but found end of input",
      "{ status = 5 } -> 9 -> cannot compare span:status (status) with 5 (int)",
      "{ duration = \"slow\" } -> 11 "
          + "-> cannot compare span:duration (duration) with \"slow\" (string)",
      "{ status > error } -> 9 -> operator '>' does not apply to status values",
      "{ name =~ 1 } -> 10 -> operator '=~' needs strings, not span:name and 1",
      "{ span.x > nil } -> 9 -> nil can only be compared with = or !=",
      "#{ } >> # -> 7 -> expected '{' or '(' but found end of input",
      "## -> 0 -> expected '{' or '(' but found end of input",
      "{ } foo -> 4 -> expected end of query but found 'foo'",
      "{ name = \"a\" }} -> 14 -> expected end of query but found '}'",
      "{ name = \"a\" & name = \"b\" } -> 13 -> unexpected character '&'",
      "{ span.x = 99999999999999999999 } -> 11 "
          + "-> integer out of range '99999999999999999999'",
      "{ duration } -> 2 -> expected a condition but found 'duration'",
      "{ \"text\" } -> 2 -> expected a condition but found '\"text\"'",
      "{ name = \"a\\q\" } -> 11 -> invalid escape '\\q' in string",
      "{ ) } -> 2 -> expected a field or value but found ')'",
      "{ .a = - } -> 9 -> expected a number or duration after '-' but found '}'",
      "{ parent.x = 1 } -> 2 -> the 'parent.' scope is not supported",
      "{ .a = 1 } > > { } -> 13 -> expected '{' or '(' but found '>'",
      "{ .a + 1 = 2 } -> 5 -> expected '}' but found '+'",
      "{ } with (most_recent) -> 21 -> expected '=' but found ')'",
      "{ } with most_recent=true -> 9 -> expected '(' but found 'most_recent'",
  })
  void reportsPositionAndExpectation(String query, int position, String detail) {
    TraceQlException e = catchThrowableOfType(TraceQlException.class, () -> TraceQl.parse(query));
    assertThat(e).as(query).isNotNull();
    assertThat(e.detail()).isEqualTo(detail);
    assertThat(e.position()).isEqualTo(position);
    assertThat(e).hasMessage("at position " + position + ": " + detail);
  }

  @Test
  void invalidRegexIsReportedAtTheLiteral() {
    TraceQlException e = catchThrowableOfType(TraceQlException.class,
        () -> TraceQl.parse("{ span.x =~ \"[\" }"));
    assertThat(e.position()).isEqualTo(12);
    assertThat(e.detail()).startsWith("invalid regular expression \"[\": ");
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String query = "(".repeat(100) + "{ }" + ")".repeat(100);
    TraceQlException e = catchThrowableOfType(TraceQlException.class, () -> TraceQl.parse(query));
    assertThat(e.position()).isEqualTo(65);
    assertThat(e.detail()).isEqualTo("query nested more than 64 deep");
    assertThatThrownBy(() -> TraceQl.parse("{ " + "!".repeat(1000) + "true }"))
        .isInstanceOf(TraceQlException.class);
  }

  @Test
  void tooManyOperatorsAreRefusedNotAStackOverflow() {
    // A chain of operators is a tree as deep; before the limit, the longest chains a 16 KiB
    // query can hold overflowed the stack when printed, compared or evaluated.
    int max = Parser.MAX_OPERATORS;
    for (String[] shape : new String[][] {
        {"{ }", " > { }"}, {"{ }", " && { }"}, {"{ }", " || { }"}, {"{ .a", " || .a"},
        {"{ true", " && true"}}) {
      String atLimit = shape[0] + shape[1].repeat(max) + (shape[0].equals("{ }") ? "" : " }");
      TraceQlQuery q = TraceQl.parse(atLimit);
      assertThat(q.toString()).startsWith(shape[0].equals("{ }") ? "((((" : "{ ((((");
      assertThat(TraceQl.parse(atLimit).ast()).isEqualTo(q.ast())
          .hasSameHashCodeAs(q.ast());
      assertThat(q.evaluate(ShopTrace.spans())).isNotNull();
      assertThat(QueryPlanner.plan(q.ast())).isNotNull();

      String overLimit = shape[0] + shape[1].repeat(max + 1) + (shape[0].equals("{ }") ? "" : " }");
      TraceQlException e = catchThrowableOfType(TraceQlException.class,
          () -> TraceQl.parse(overLimit));
      assertThat(e).as(overLimit).isNotNull();
      assertThat(e.detail()).isEqualTo("query has more than 256 operators");
      assertThat(e.position()).isEqualTo(shape[0].length() + max * shape[1].length() + 1);
    }
    String longest = "{}>".repeat(Parser.MAX_QUERY_LENGTH / 3 - 1) + "{}";
    assertThatThrownBy(() -> TraceQl.parse(longest)).isInstanceOf(TraceQlException.class)
        .hasMessageContaining("more than 256 operators");
  }

  @Test
  void operatorsCountOverTheWholeQuery() {
    assertThat(TraceQl.parse("(" + chain(127) + ") && (" + chain(128) + ")")).isNotNull();
    assertThatThrownBy(() -> TraceQl.parse("(" + chain(128) + ") && (" + chain(128) + ")"))
        .isInstanceOf(TraceQlException.class).hasMessageContaining("more than 256 operators");
    String stages = "{ }" + " | { .a || .b }".repeat(200) + " | ";
    assertThat(TraceQl.parse(stages + chain(56))).isNotNull();
    assertThatThrownBy(() -> TraceQl.parse(stages + chain(57)))
        .isInstanceOf(TraceQlException.class).hasMessageContaining("more than 256 operators");
  }

  /** {@code { } > { } > ...} with this many operators. */
  private static String chain(int operators) {
    return "{ }" + " > { }".repeat(operators);
  }

  @Test
  void floatBeyondDoubleIsRefusedNotInfinity() {
    String huge = "9".repeat(400) + ".0";
    TraceQlException e = catchThrowableOfType(TraceQlException.class,
        () -> TraceQl.parse("{ .a = " + huge + " }"));
    assertThat(e.position()).isEqualTo(7);
    assertThat(e.detail()).isEqualTo("number out of range '" + huge + "'");
    assertThat(TraceQl.parse("{ .a = 1" + "0".repeat(308) + ".0 }").toString())
        .isEqualTo("{ .a = 1" + "0".repeat(308) + ".0 }");
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " -> ", value = {
      "{ name = \"\\u+123\" } -> 10",
      "{ name = \"\\u-001\" } -> 10",
      "{ name = \"\\u 123\" } -> 10",
      "{ name = \"\\u12\" } -> 10",
      "{ name = \"\\u12 -> 10",
      "{ name = \"\\u\u0661\u0662\u0663\u0664\" } -> 10",
      "{ name = \"\\u\uff11\uff12\uff13\uff14\" } -> 10",
  })
  void unicodeEscapeNeedsFourAsciiHexDigits(String query, int position) {
    TraceQlException e = catchThrowableOfType(TraceQlException.class, () -> TraceQl.parse(query));
    assertThat(e).as(query).isNotNull();
    assertThat(e.detail()).isEqualTo("\\u needs four hex digits");
    assertThat(e.position()).isEqualTo(position);
  }

  @Test
  void overlongQueryIsRefused() {
    String query = "{ } && ".repeat(5000) + "{ }";
    assertThatThrownBy(() -> TraceQl.parse(query)).isInstanceOf(TraceQlException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void nullQueryIsAnError() {
    assertThatThrownBy(() -> TraceQl.parse(null)).isInstanceOf(TraceQlException.class);
  }
}
