package io.strand.query.traceql;

import io.strand.query.TraceQlException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for TraceQL search queries:
 *
 * <pre>
 * query       = pipeline [ hints ] EOF
 * pipeline    = spansetExpr { "|" stage }
 * spansetExpr = structural { ("&amp;&amp;" | "||") structural }        (same level, left-assoc)
 * structural  = primary { structuralOp primary }                (left-assoc)
 * primary     = "{" [ condition ] "}" | "(" pipeline ")"
 * stage       = scalar cmpOp scalar | "select" "(" field { "," field } ")"
 *             | "by" "(" field ")" | "coalesce" "(" ")" | spansetExpr
 * scalar      = "count" "(" ")" | ("avg"|"min"|"max"|"sum") "(" field ")" | ["-"] number
 * hints       = "with" "(" name "=" value { "," name "=" value } ")"    (accepted, ignored)
 * </pre>
 *
 * As in Tempo's grammar, structural operators bind tighter than {@code &&} and {@code ||}, which
 * share one level. Conditions inside braces are parsed by {@link FieldParser}.
 */
public final class Parser {

  /** Longest query accepted, in characters. */
  public static final int MAX_QUERY_LENGTH = 16 * 1024;

  /**
   * How deep parentheses and negations may nest, so a hostile query cannot overflow the stack
   * of this recursive-descent parser.
   */
  public static final int MAX_DEPTH = 64;

  /**
   * Most operators ({@code &&}, {@code ||} and the structural ones, between spansets or inside a
   * filter) one query may hold. A chain of operators is a syntax tree as deep, which printing,
   * comparing, planning and evaluating walk recursively; with this bound (and {@link
   * #MAX_DEPTH}) they stay well within a default 1 MiB thread stack, even interpreted.
   */
  public static final int MAX_OPERATORS = 256;

  private final TokenCursor in;
  private final FieldParser fields;

  private Parser(String query) {
    if (query.length() > MAX_QUERY_LENGTH) {
      throw new TraceQlException(MAX_QUERY_LENGTH,
          "query longer than " + MAX_QUERY_LENGTH + " characters");
    }
    this.in = new TokenCursor(Lexer.tokenize(query));
    this.fields = new FieldParser(in);
  }

  /**
   * Parses a whole query.
   *
   * @throws TraceQlException naming the position and the problem
   */
  public static SpansetExpr parse(String query) {
    Parser p = new Parser(query);
    SpansetExpr e = p.pipeline();
    p.hints();
    if (p.in.peek().type() != Token.Type.EOF) {
      throw p.in.expected("end of query");
    }
    return e;
  }

  /**
   * Parses a single field such as {@code span.http.method}, {@code resource.service.name}, {@code
   * .key}, {@code name} or {@code span:status}, as autocomplete receives tag names.
   *
   * @throws TraceQlException when the text is not exactly one field
   */
  public static FieldRef parseField(String text) {
    Parser p = new Parser(text);
    FieldRef ref = p.fields.fieldRef("a field");
    if (p.in.peek().type() != Token.Type.EOF) {
      throw p.in.expected("end of field");
    }
    return ref;
  }

  /**
   * {@code with (name = value, ...)}: Tempo's query hints, accepted and ignored. The one users
   * write, {@code most_recent=true}, is what Strand always does: newest traces first.
   */
  private void hints() {
    if (!in.peek().isWord("with")) {
      return;
    }
    in.next();
    in.expect("(");
    do {
      if (in.peek().type() != Token.Type.IDENT) {
        throw in.expected("a hint name");
      }
      in.next();
      in.expect("=");
      Token value = in.peek();
      switch (value.type()) {
        case STRING, INT, FLOAT, DURATION, IDENT -> in.next();
        default -> throw in.expected("a hint value");
      }
    } while (in.accept(","));
    in.expect(")");
  }

  private SpansetExpr pipeline() {
    SpansetExpr input = spansetExpr();
    List<Stage> stages = new ArrayList<>();
    while (in.accept("|")) {
      stages.add(stage());
    }
    return stages.isEmpty() ? input : new SpansetExpr.Pipeline(input, stages);
  }

  private SpansetExpr spansetExpr() {
    SpansetExpr left = structural();
    while (in.peek().is("&&") || in.peek().is("||")) {
      SpansetOperator op = SpansetOperator.forSymbol(in.operator().text());
      left = new SpansetExpr.Operation(op, left, structural());
    }
    return left;
  }

  private SpansetExpr structural() {
    SpansetExpr left = spansetPrimary();
    SpansetOperator op;
    while ((op = structuralOp(in.peek())) != null) {
      in.operator();
      left = new SpansetExpr.Operation(op, left, spansetPrimary());
    }
    return left;
  }

  private static SpansetOperator structuralOp(Token t) {
    if (t.type() != Token.Type.SYMBOL) {
      return null;
    }
    SpansetOperator op = SpansetOperator.forSymbol(t.text());
    return op == null || op.relation() == null ? null : op;
  }

  private SpansetExpr spansetPrimary() {
    if (in.accept("{")) {
      if (in.accept("}")) {
        return SpansetExpr.Filter.ALL;
      }
      FieldExpr condition = fields.condition();
      in.expect("}");
      return new SpansetExpr.Filter(condition);
    }
    if (in.peek().is("(")) {
      in.next();
      in.enter();
      SpansetExpr inner = pipeline();
      in.expect(")");
      in.leave();
      return inner;
    }
    throw in.expected("'{' or '('");
  }

  private Stage stage() {
    Token t = in.peek();
    if (t.type() == Token.Type.IDENT) {
      switch (t.text()) {
        case "select" -> {
          return select();
        }
        case "by" -> {
          in.next();
          in.expect("(");
          FieldRef field = fields.fieldRef("a field to group by");
          in.expect(")");
          return new Stage.GroupBy(field);
        }
        case "coalesce" -> {
          in.next();
          in.expect("(");
          in.expect(")");
          return new Stage.Coalesce();
        }
        default -> {
          return scalarFilter();
        }
      }
    }
    if (t.is("{") || t.is("(")) {
      return new Stage.SpansetStage(spansetExpr());
    }
    if (t.is("-") || t.type() == Token.Type.INT || t.type() == Token.Type.FLOAT
        || t.type() == Token.Type.DURATION) {
      return scalarFilter();
    }
    throw in.expected("a pipeline stage");
  }

  private Stage select() {
    in.next();
    in.expect("(");
    List<FieldRef> refs = new ArrayList<>();
    refs.add(fields.fieldRef("a field to select"));
    while (in.accept(",")) {
      refs.add(fields.fieldRef("a field to select"));
    }
    in.expect(")");
    return new Stage.Select(refs);
  }

  private Stage scalarFilter() {
    Token first = in.peek();
    ScalarExpr left = scalar();
    Token opToken = in.peek();
    CompareOp op = null;
    for (CompareOp c : CompareOp.values()) {
      if (!c.isRegex() && opToken.is(c.symbol())) {
        op = c;
      }
    }
    if (op == null) {
      throw in.expected("a comparison operator");
    }
    in.next();
    ScalarExpr right = scalar();
    if (!(left instanceof ScalarExpr.Aggregate) && !(right instanceof ScalarExpr.Aggregate)) {
      throw new TraceQlException(first.pos(),
          "a pipeline filter needs an aggregate such as count()");
    }
    return new Stage.ScalarFilter(left, op, right);
  }

  private ScalarExpr scalar() {
    Token t = in.peek();
    ScalarExpr.Function fn = t.type() == Token.Type.IDENT ? function(t.text()) : null;
    if (fn != null) {
      in.next();
      in.expect("(");
      FieldRef field = fn == ScalarExpr.Function.COUNT ? null
          : fields.fieldRef("a field to aggregate");
      in.expect(")");
      return new ScalarExpr.Aggregate(fn, field);
    }
    boolean negative = in.accept("-");
    Token n = in.peek();
    Value v = switch (n.type()) {
      case INT -> new Value.Int((negative ? -1 : 1) * (Long) n.value());
      case FLOAT -> new Value.Real((negative ? -1 : 1) * (Double) n.value());
      case DURATION -> new Value.Dur((negative ? -1 : 1) * (Long) n.value());
      default -> null;
    };
    if (v == null) {
      if (!negative && n.type() == Token.Type.IDENT) {
        throw new TraceQlException(n.pos(), "unknown pipeline function '" + n.text() + "'");
      }
      throw in.expected(negative ? "a number or duration" : "an aggregate or a number");
    }
    in.next();
    return new FieldExpr.Literal(v);
  }

  private static ScalarExpr.Function function(String word) {
    for (ScalarExpr.Function f : ScalarExpr.Function.values()) {
      if (f.toString().equals(word)) {
        return f;
      }
    }
    return null;
  }
}
