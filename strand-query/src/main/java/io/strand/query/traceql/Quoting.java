package io.strand.query.traceql;

/** Renders strings and attribute keys as TraceQL source. */
final class Quoting {

  private Quoting() {}

  /** A double-quoted string literal with {@code \"}, {@code \\} and control escapes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /**
   * An attribute key as written after a scope: bare when it can be, else quoted. A quoted key
   * knows only the escapes {@code \"} and {@code \\} (as in Tempo); any other character, a
   * newline included, stands for itself.
   */
  static String key(String key) {
    if (key.isEmpty()) {
      return "\"\"";
    }
    for (int i = 0; i < key.length(); i++) {
      if (!Lexer.isAttributeChar(key.charAt(i))) {
        return quoteKey(key);
      }
    }
    return key;
  }

  private static String quoteKey(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 2).append('"');
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
