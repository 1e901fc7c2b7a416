package io.strand.query.traceql;

import io.strand.query.TraceQlException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a TraceQL query into tokens. Attribute names are read whole here, as Tempo's lexer
 * does: after {@code span.}, {@code resource.}, {@code .} and the other scopes, every character
 * up to whitespace or one of {@code {}()=~!<>&|^,} belongs to the name, and double-quoted parts
 * ({@code span."a b"}) may hold any character.
 */
final class Lexer {

  /** Longest first, so {@code !>>} wins over {@code !>} and {@code !}. */
  private static final String[] SYMBOLS = {
    "&>>", "&<<", "!>>", "!<<",
    "&&", "||", "!=", "!~", "=~", ">=", "<=", ">>", "<<", "!>", "!<", "&>", "&<", "&~",
    "{", "}", "(", ")", ",", "|", "=", ">", "<", "~", "!", "-", "+", "*", "/", "%", "^"
  };

  private final String src;
  private int pos;

  private Lexer(String src) {
    this.src = src;
  }

  /** All tokens of the query, ending with one {@link Token.Type#EOF}. */
  static List<Token> tokenize(String src) {
    Lexer lexer = new Lexer(src);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lexer.next();
      out.add(t);
    } while (t.type() != Token.Type.EOF);
    return out;
  }

  /** Whether a character may appear unquoted in an attribute name. */
  static boolean isAttributeChar(char c) {
    return !Character.isWhitespace(c) && "{}()=~!<>&|^,\"".indexOf(c) < 0;
  }

  private Token next() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
    if (pos >= src.length()) {
      return new Token(Token.Type.EOF, "", pos, null);
    }
    int start = pos;
    char c = src.charAt(pos);
    if (c == '"' || c == '`') {
      String s = c == '"' ? quoted() : raw();
      return new Token(Token.Type.STRING, src.substring(start, pos), start, s);
    }
    if (isDigit(c)) {
      return number();
    }
    if (c == '.') {
      pos++;
      return attribute(AttributeScope.UNSCOPED, start);
    }
    if (isWordStart(c)) {
      return word();
    }
    for (String sym : SYMBOLS) {
      if (src.startsWith(sym, pos)) {
        pos += sym.length();
        return new Token(Token.Type.SYMBOL, sym, start, null);
      }
    }
    throw new TraceQlException(start, "unexpected character '" + c + "'");
  }

  private Token word() {
    int start = pos;
    while (pos < src.length() && isWordPart(src.charAt(pos))) {
      pos++;
    }
    String word = src.substring(start, pos);
    char after = pos < src.length() ? src.charAt(pos) : 0;
    if (after == '.' && (word.equals("parent") || AttributeScope.forWord(word) != null)) {
      if (word.equals("parent")) {
        throw new TraceQlException(start, "the 'parent.' scope is not supported");
      }
      pos++;
      return attribute(AttributeScope.forWord(word), start);
    }
    if (after == ':' && isScopeWord(word)) {
      pos++;
      while (pos < src.length() && isWordPart(src.charAt(pos))) {
        pos++;
      }
      return new Token(Token.Type.SCOPED_INTRINSIC, src.substring(start, pos), start, null);
    }
    return new Token(Token.Type.IDENT, word, start, null);
  }

  private static boolean isScopeWord(String w) {
    return switch (w) {
      case "span", "trace", "event", "link", "instrumentation", "resource" -> true;
      default -> false;
    };
  }

  private Token attribute(AttributeScope scope, int start) {
    StringBuilder key = new StringBuilder();
    int keyStart = pos;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '"') {
        key.append(quotedKey());
      } else if (isAttributeChar(c)) {
        key.append(c);
        pos++;
      } else {
        break;
      }
    }
    if (pos == keyStart) {
      throw new TraceQlException(pos,
          "expected an attribute name after '" + src.substring(start, keyStart) + "'");
    }
    String text = src.substring(start, pos);
    return new Token(Token.Type.ATTRIBUTE, text, start,
        new FieldRef.Attribute(scope, key.toString()));
  }

  /** A quoted part of an attribute name: only {@code \"} and {@code \\} escapes, as in Tempo. */
  private String quotedKey() {
    int open = pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\') {
        char e = pos < src.length() ? src.charAt(pos++) : 0;
        if (e != '"' && e != '\\') {
          throw new TraceQlException(pos - 2,
              "invalid escape in attribute name: only \\\" and \\\\");
        }
        sb.append(e);
      } else {
        sb.append(c);
      }
    }
    throw new TraceQlException(open, "unterminated quoted attribute name");
  }

  private String quoted() {
    int open = pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) {
        break;
      }
      char e = src.charAt(pos++);
      switch (e) {
        case '"', '\\', '/', '\'' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case 'u' -> sb.append(unicodeEscape());
        default -> throw new TraceQlException(pos - 2, "invalid escape '\\" + e + "' in string");
      }
    }
    throw new TraceQlException(open, "unterminated string");
  }

  private char unicodeEscape() {
    int escapeAt = pos - 2;
    int c = 0;
    for (int i = 0; i < 4; i++) {
      int digit = pos + i < src.length() ? hexDigit(src.charAt(pos + i)) : -1;
      if (digit < 0) {
        throw new TraceQlException(escapeAt, "\\u needs four hex digits");
      }
      c = c * 16 + digit;
    }
    pos += 4;
    return (char) c;
  }

  /**
   * The value of an ASCII hex digit, else -1. Not {@code Integer.parseInt}, which also takes a
   * sign ('+' or '-') and non-ASCII digits.
   */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private String raw() {
    int open = pos++;
    int close = src.indexOf('`', pos);
    if (close < 0) {
      throw new TraceQlException(open, "unterminated string");
    }
    pos = close + 1;
    return src.substring(open + 1, close);
  }

  /** An integer, a float, or a duration such as {@code 250ms}, {@code 1.5s} or {@code 1h30m}. */
  private Token number() {
    int start = pos;
    String first = digits();
    if (pos >= src.length() || !isUnitChar(src.charAt(pos))) {
      return plainNumber(start, first);
    }
    long total = 0;
    String amount = first;
    while (true) {
      int unitStart = pos;
      while (pos < src.length() && isUnitChar(src.charAt(pos))) {
        pos++;
      }
      long unit = Durations.unit(src.substring(unitStart, pos));
      if (unit == 0) {
        pos = skipWord(pos);
        throw new TraceQlException(start, "invalid duration '" + src.substring(start, pos) + "'");
      }
      try {
        total = Math.addExact(total, new BigDecimal(amount).multiply(BigDecimal.valueOf(unit))
            .setScale(0, RoundingMode.HALF_UP).longValueExact());
      } catch (ArithmeticException e) {
        throw new TraceQlException(start,
            "duration out of range '" + src.substring(start, pos) + "'");
      }
      if (pos >= src.length() || !isDigit(src.charAt(pos))) {
        break;
      }
      amount = digits();
    }
    return new Token(Token.Type.DURATION, src.substring(start, pos), start, total);
  }

  private Token plainNumber(int start, String text) {
    if (pos < src.length() && isWordPart(src.charAt(pos))) {
      pos = skipWord(pos);
      throw new TraceQlException(start, "invalid number '" + src.substring(start, pos) + "'");
    }
    if (text.indexOf('.') >= 0) {
      double value = Double.parseDouble(text);
      if (Double.isInfinite(value)) {
        throw new TraceQlException(start, "number out of range '" + text + "'");
      }
      return new Token(Token.Type.FLOAT, text, start, value);
    }
    try {
      return new Token(Token.Type.INT, text, start, Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new TraceQlException(start, "integer out of range '" + text + "'");
    }
  }

  /** Digits with an optional fraction. */
  private String digits() {
    int start = pos;
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos < src.length() && src.charAt(pos) == '.') {
      if (pos + 1 >= src.length() || !isDigit(src.charAt(pos + 1))) {
        throw new TraceQlException(pos,
            "expected digits after '" + src.substring(start, pos + 1) + "'");
      }
      pos++;
      while (pos < src.length() && isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    return src.substring(start, pos);
  }

  private int skipWord(int p) {
    while (p < src.length() && (isWordPart(src.charAt(p)) || src.charAt(p) == 'µ')) {
      p++;
    }
    return p;
  }

  private static boolean isUnitChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 'µ';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isWordStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isWordPart(char c) {
    return isWordStart(c) || isDigit(c);
  }
}
