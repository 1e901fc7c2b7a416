package io.strand.server.api.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Case-insensitive lookup of names as they are stored. Zipkin lower-cases service and span names
 * on the way in and in queries, but Strand keeps the names its senders used ({@code GET /Cart}
 * from an OpenTelemetry SDK), and the store compares names exactly; so a Zipkin query's name is
 * first resolved to every stored spelling of it, and one store query runs per spelling.
 */
public final class NameMatch {

  private NameMatch() {}

  /**
   * The stored names equal to {@code wanted} ignoring case, distinct, exact match first; empty
   * when no stored name matches (then nothing stored can match the query either).
   */
  public static List<String> storedSpellings(Collection<String> stored, String wanted) {
    List<String> out = new ArrayList<>(2);
    if (stored.contains(wanted)) {
      out.add(wanted);
    }
    String folded = wanted.toLowerCase(Locale.ROOT);
    for (String name : stored) {
      if (!name.equals(wanted) && name.toLowerCase(Locale.ROOT).equals(folded)
          && !out.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }
}
