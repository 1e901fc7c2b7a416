package io.strand.query.traceql;

import io.strand.query.TraceQlException;
import java.util.List;

/** Walks the tokens of one query for the parsers, and builds their error messages. */
final class TokenCursor {

  private final List<Token> tokens;
  private int index;
  private int depth;
  private int operators;

  TokenCursor(List<Token> tokens) {
    this.tokens = tokens;
  }

  Token peek() {
    return tokens.get(index);
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(index);
    if (t.type() != Token.Type.EOF) {
      index++;
    }
    return t;
  }

  /** Consumes the symbol if it is next. */
  boolean accept(String symbol) {
    if (peek().is(symbol)) {
      index++;
      return true;
    }
    return false;
  }

  /** Consumes the symbol, or fails with "expected 'symbol' but found ...". */
  Token expect(String symbol) {
    if (!peek().is(symbol)) {
      throw expected("'" + symbol + "'");
    }
    return next();
  }

  /** An error at the next token: "expected {what} but found {token}". */
  TraceQlException expected(String what) {
    Token t = peek();
    return new TraceQlException(t.pos(), "expected " + what + " but found " + t.describe());
  }

  /** Consumes the next token, a binary operator: one more against {@link Parser#MAX_OPERATORS}. */
  Token operator() {
    if (++operators > Parser.MAX_OPERATORS) {
      throw new TraceQlException(peek().pos(),
          "query has more than " + Parser.MAX_OPERATORS + " operators");
    }
    return next();
  }

  void enter() {
    if (++depth > Parser.MAX_DEPTH) {
      throw new TraceQlException(peek().pos(),
          "query nested more than " + Parser.MAX_DEPTH + " deep");
    }
  }

  void leave() {
    depth--;
  }
}
