package io.strand.query.traceql;

import io.strand.query.TraceQlException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the expression inside a spanset filter. Precedence follows Tempo's grammar: {@code &&}
 * and {@code ||} share the lowest level and associate to the left (so {@code a || b && c} is
 * {@code (a || b) && c}), comparisons bind tighter, and {@code !} tighter still. A bare attribute
 * used as a condition means {@code attribute = true}, as in Tempo.
 */
final class FieldParser {

  private final TokenCursor in;

  FieldParser(TokenCursor in) {
    this.in = in;
  }

  /** A whole condition, such as the inside of {@code { ... }}. */
  FieldExpr condition() {
    Token first = in.peek();
    return asCondition(orAnd(), first);
  }

  /** A field reference alone: for select(), by() and aggregates. */
  FieldRef fieldRef(String what) {
    Token t = in.peek();
    FieldExpr e = switch (t.type()) {
      case ATTRIBUTE, SCOPED_INTRINSIC, IDENT -> primary();
      default -> null;
    };
    if (e instanceof FieldRef ref) {
      return ref;
    }
    throw new TraceQlException(t.pos(), "expected " + what + " but found " + t.describe());
  }

  private FieldExpr orAnd() {
    Token first = in.peek();
    FieldExpr left = comparison();
    while (in.peek().is("&&") || in.peek().is("||")) {
      boolean and = in.operator().is("&&");
      left = asCondition(left, first);
      Token rightFirst = in.peek();
      FieldExpr right = asCondition(comparison(), rightFirst);
      left = new FieldExpr.Logical(and, left, right);
    }
    return left;
  }

  private FieldExpr comparison() {
    FieldExpr left = unary();
    Token opToken = in.peek();
    CompareOp op = compareOp(opToken);
    if (op == null) {
      return left;
    }
    in.next();
    Token rightToken = in.peek();
    FieldExpr right = unary();
    check(op, left, right, opToken, rightToken);
    return new FieldExpr.Comparison(op, left, right);
  }

  private FieldExpr unary() {
    if (in.peek().is("!")) {
      in.next();
      in.enter();
      Token first = in.peek();
      FieldExpr operand = asCondition(unary(), first);
      in.leave();
      return new FieldExpr.Not(operand);
    }
    if (in.peek().is("-")) {
      Token minus = in.next();
      Token t = in.next();
      return switch (t.type()) {
        case INT -> new FieldExpr.Literal(new Value.Int(-(Long) t.value()));
        case FLOAT -> new FieldExpr.Literal(new Value.Real(-(Double) t.value()));
        case DURATION -> new FieldExpr.Literal(new Value.Dur(-(Long) t.value()));
        default -> throw new TraceQlException(t.pos(), "expected a number or duration after '"
            + minus.text() + "' but found " + t.describe());
      };
    }
    return primary();
  }

  private FieldExpr primary() {
    Token t = in.peek();
    switch (t.type()) {
      case STRING -> {
        in.next();
        return new FieldExpr.Literal(new Value.Text((String) t.value()));
      }
      case INT -> {
        in.next();
        return new FieldExpr.Literal(new Value.Int((Long) t.value()));
      }
      case FLOAT -> {
        in.next();
        return new FieldExpr.Literal(new Value.Real((Double) t.value()));
      }
      case DURATION -> {
        in.next();
        return new FieldExpr.Literal(new Value.Dur((Long) t.value()));
      }
      case ATTRIBUTE -> {
        in.next();
        return (FieldRef.Attribute) t.value();
      }
      case IDENT, SCOPED_INTRINSIC -> {
        in.next();
        return word(t);
      }
      default -> {
        if (t.is("(")) {
          in.next();
          in.enter();
          FieldExpr inner = orAnd();
          in.expect(")");
          in.leave();
          return inner;
        }
        throw in.expected("a field or value");
      }
    }
  }

  /** A literal word ({@code true}, {@code error}, {@code server}...) or an intrinsic. */
  private static FieldExpr word(Token t) {
    Value literal = Literals.forWord(t.text());
    if (literal != null && t.type() == Token.Type.IDENT) {
      return new FieldExpr.Literal(literal);
    }
    Intrinsic intrinsic = Intrinsic.forSpelling(t.text());
    if (intrinsic == null) {
      throw new TraceQlException(t.pos(), "unknown intrinsic '" + t.text() + "'");
    }
    return new FieldRef.IntrinsicField(intrinsic);
  }

  private static CompareOp compareOp(Token t) {
    if (t.type() != Token.Type.SYMBOL) {
      return null;
    }
    for (CompareOp op : CompareOp.values()) {
      if (op.symbol().equals(t.text())) {
        return op;
      }
    }
    return null;
  }

  private static FieldExpr asCondition(FieldExpr e, Token first) {
    return switch (e) {
      case FieldExpr.Comparison c -> c;
      case FieldExpr.Logical l -> l;
      case FieldExpr.Not n -> n;
      case FieldRef.Attribute a ->
          new FieldExpr.Comparison(CompareOp.EQ, a, FieldExpr.Literal.TRUE);
      case FieldExpr.Literal l when l.value() instanceof Value.Bool -> l;
      default -> throw new TraceQlException(first.pos(),
          "expected a condition but found " + first.describe());
    };
  }

  /** Static checks where both types are known: Tempo rejects these queries too. */
  private static void check(CompareOp op, FieldExpr left, FieldExpr right, Token opToken,
      Token rightToken) {
    Value.Type lt = staticType(left);
    Value.Type rt = staticType(right);
    if (lt == Value.Type.NIL || rt == Value.Type.NIL) {
      if (op != CompareOp.EQ && op != CompareOp.NE) {
        throw new TraceQlException(opToken.pos(), "nil can only be compared with = or !=");
      }
      return;
    }
    if (op.isRegex()) {
      checkRegex(op, left, right, lt, rt, rightToken);
      return;
    }
    if (lt != null && rt != null && lt != rt && !(lt.isNumeric() && rt.isNumeric())) {
      throw new TraceQlException(opToken.pos(), "cannot compare " + left + " (" + lt + ") with "
          + right + " (" + rt + ")");
    }
    Value.Type known = lt != null ? lt : rt;
    if (op.isOrdering() && known != null && !known.isNumeric() && known != Value.Type.STRING) {
      throw new TraceQlException(opToken.pos(),
          "operator '" + op.symbol() + "' does not apply to " + known + " values");
    }
  }

  private static void checkRegex(CompareOp op, FieldExpr left, FieldExpr right, Value.Type lt,
      Value.Type rt, Token rightToken) {
    if ((lt != null && lt != Value.Type.STRING) || (rt != null && rt != Value.Type.STRING)) {
      throw new TraceQlException(rightToken.pos(), "operator '" + op.symbol()
          + "' needs strings, not " + left + " and " + right);
    }
    if (right instanceof FieldExpr.Literal lit) {
      try {
        Pattern.compile(((Value.Text) lit.value()).value());
      } catch (PatternSyntaxException e) {
        throw new TraceQlException(rightToken.pos(),
            "invalid regular expression " + lit + ": " + e.getDescription());
      }
    }
  }

  private static Value.Type staticType(FieldExpr e) {
    return switch (e) {
      case FieldExpr.Literal l -> l.value().type();
      case FieldRef r -> r.staticType();
      default -> Value.Type.BOOL;
    };
  }
}
