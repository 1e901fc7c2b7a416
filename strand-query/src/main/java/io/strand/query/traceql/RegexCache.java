package io.strand.query.traceql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Compiled regular expressions of one query, shared by the threads evaluating it. Patterns are
 * anchored at both ends (a full match), as Tempo treats every TraceQL regular expression.
 */
final class RegexCache {

  /** Patterns coming from data (field =~ field) are not cached past this many. */
  private static final int MAX_ENTRIES = 256;

  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

  boolean fullMatch(String regex, String text) {
    Pattern p = patterns.get(regex);
    if (p == null) {
      p = Pattern.compile(regex);
      if (patterns.size() < MAX_ENTRIES) {
        patterns.put(regex, p);
      }
    }
    return p.matcher(text).matches();
  }
}
