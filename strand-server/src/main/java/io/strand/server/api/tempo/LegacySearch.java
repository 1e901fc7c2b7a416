package io.strand.server.api.tempo;

import io.strand.server.api.search.BadParameterException;
import java.util.ArrayList;
import java.util.List;

/**
 * Tempo's search before TraceQL: {@code tags} in logfmt ({@code service.name=cart
 * http.status_code=500}) and Go-style {@code minDuration}/{@code maxDuration}, turned into the
 * equivalent TraceQL so one engine answers both.
 */
final class LegacySearch {
  private LegacySearch() {}

  static String toTraceQl(String tags, String minDuration, String maxDuration) {
    List<String> conditions = new ArrayList<>();
    if (tags != null) {
      for (String pair : logfmt(tags)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new BadParameterException("tags", "tags must be logfmt key=value pairs, got '"
              + pair + "'");
        }
        String key = pair.substring(0, eq);
        String value = unquote(pair.substring(eq + 1));
        conditions.add("." + quoteKey(key) + " = \"" + escape(value) + "\"");
      }
    }
    if (minDuration != null) {
      conditions.add("duration >= " + minDuration.trim());
    }
    if (maxDuration != null) {
      conditions.add("duration <= " + maxDuration.trim());
    }
    return "{ " + String.join(" && ", conditions) + " }";
  }

  /** Splits on spaces outside double quotes. */
  private static List<String> logfmt(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ' ' && !quoted) {
        if (!cur.isEmpty()) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String unquote(String v) {
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
        ? v.substring(1, v.length() - 1) : v;
  }

  private static String quoteKey(String key) {
    return key.matches("[A-Za-z0-9_.]+") ? key : "\"" + escape(key) + "\"";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
