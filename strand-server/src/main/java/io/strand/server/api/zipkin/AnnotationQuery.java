package io.strand.server.api.zipkin;

import io.strand.server.api.search.BadParameterException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Zipkin's {@code annotationQuery}: terms joined by {@code and}, such as {@code http.method=GET
 * and retried and error}. A {@code key=value} term asks for a tag with that value; a bare word
 * asks for a tag with that key or an annotation with that value.
 *
 * @param tags {@code key=value} terms in the order given
 * @param words bare words in the order given
 */
record AnnotationQuery(Map<String, String> tags, List<String> words) {

  static final String PARAMETER = "annotationQuery";
  static final AnnotationQuery NONE = new AnnotationQuery(Map.of(), List.of());

  /** "and" as Zipkin writes it, tolerant of extra spaces between terms. */
  private static final Pattern AND = Pattern.compile("\\s+and\\s+");

  AnnotationQuery {
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    words = List.copyOf(words);
  }

  /**
   * Parses the parameter; null or blank gives {@link #NONE}.
   *
   * @throws BadParameterException for a term without a key, or a key given two different values
   *     (no span could match both, which is more likely a typo than a question)
   */
  static AnnotationQuery parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    List<String> words = new ArrayList<>();
    for (String raw : AND.split(text.trim())) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      int eq = term.indexOf('=');
      if (eq < 0) {
        if (!words.contains(term)) {
          words.add(term);
        }
        continue;
      }
      String key = term.substring(0, eq).trim();
      String value = term.substring(eq + 1).trim();
      if (key.isEmpty()) {
        throw new BadParameterException(PARAMETER,
            PARAMETER + " term '" + term + "' has no key before '='");
      }
      String earlier = tags.putIfAbsent(key, value);
      if (earlier != null && !earlier.equals(value)) {
        throw new BadParameterException(PARAMETER, PARAMETER + " asks for " + key + "="
            + earlier + " and " + key + "=" + value + "; a span has one value per key");
      }
    }
    return new AnnotationQuery(tags, words);
  }
}
