package io.strand.query.traceql;

/**
 * A lexical token.
 *
 * @param type what kind of token
 * @param text the source text, for error messages
 * @param pos 0-based offset of the first character
 * @param value the decoded value: the unescaped string, a {@code Long} integer or duration in
 *     nanoseconds, a {@code Double}, or the {@link FieldRef.Attribute}; null for the rest
 */
record Token(Type type, String text, int pos, Object value) {

  enum Type {
    /** Punctuation and operators: braces, parentheses, comma, pipe, comparison operators... */
    SYMBOL,
    /** A bare word: keyword, literal word ({@code true}, {@code error}) or legacy intrinsic. */
    IDENT,
    /** {@code scope:name}, such as {@code span:duration}. */
    SCOPED_INTRINSIC,
    ATTRIBUTE,
    STRING,
    INT,
    FLOAT,
    DURATION,
    EOF
  }

  boolean is(String symbol) {
    return type == Type.SYMBOL && text.equals(symbol);
  }

  boolean isWord(String word) {
    return type == Type.IDENT && text.equals(word);
  }

  /** How an error message names this token. */
  String describe() {
    return type == Type.EOF ? "end of input" : "'" + text + "'";
  }
}
