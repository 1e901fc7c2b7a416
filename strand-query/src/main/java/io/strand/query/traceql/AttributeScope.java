package io.strand.query.traceql;

/** Where an attribute is looked up. */
public enum AttributeScope {
  /** {@code .key}: the span's attribute, else its resource's. */
  UNSCOPED("."),
  SPAN("span."),
  RESOURCE("resource."),
  /** Any of the span's events. */
  EVENT("event."),
  /** Any of the span's links. */
  LINK("link."),
  /** The instrumentation scope's attributes. */
  INSTRUMENTATION("instrumentation.");

  private final String prefix;

  AttributeScope(String prefix) {
    this.prefix = prefix;
  }

  /** How the scope is written before the key, dot included. */
  public String prefix() {
    return prefix;
  }

  /** Whether one span can hold several values (one per event or link). */
  public boolean multiValued() {
    return this == EVENT || this == LINK;
  }

  /** The scope for a prefix word such as {@code span}, or null. */
  static AttributeScope forWord(String word) {
    for (AttributeScope s : values()) {
      if (s != UNSCOPED && s.prefix.length() == word.length() + 1 && s.prefix.startsWith(word)) {
        return s;
      }
    }
    return null;
  }
}
