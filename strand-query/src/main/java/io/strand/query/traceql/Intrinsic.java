package io.strand.query.traceql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The intrinsic fields, with their scoped spelling (as Tempo documents them) and the legacy
 * unscoped spellings Tempo still accepts.
 */
public enum Intrinsic {
  NAME("span:name", Value.Type.STRING, Level.SPAN, "name"),
  STATUS("span:status", Value.Type.STATUS, Level.SPAN, "status"),
  STATUS_MESSAGE("span:statusMessage", Value.Type.STRING, Level.SPAN, "statusMessage"),
  KIND("span:kind", Value.Type.KIND, Level.SPAN, "kind"),
  DURATION("span:duration", Value.Type.DURATION, Level.SPAN, "duration"),
  SPAN_ID("span:id", Value.Type.STRING, Level.SPAN),
  PARENT_ID("span:parentID", Value.Type.STRING, Level.SPAN, "span:parentId"),
  CHILD_COUNT("span:childCount", Value.Type.INT, Level.SPAN, "childCount"),
  TRACE_ID("trace:id", Value.Type.STRING, Level.TRACE),
  TRACE_ROOT_NAME("trace:rootName", Value.Type.STRING, Level.TRACE, "rootName"),
  TRACE_ROOT_SERVICE("trace:rootService", Value.Type.STRING, Level.TRACE, "rootServiceName"),
  TRACE_DURATION("trace:duration", Value.Type.DURATION, Level.TRACE, "traceDuration"),
  EVENT_NAME("event:name", Value.Type.STRING, Level.EVENT),
  EVENT_TIME_SINCE_START("event:timeSinceStart", Value.Type.DURATION, Level.EVENT),
  LINK_TRACE_ID("link:traceID", Value.Type.STRING, Level.LINK, "link:traceId"),
  LINK_SPAN_ID("link:spanID", Value.Type.STRING, Level.LINK, "link:spanId"),
  INSTRUMENTATION_NAME("instrumentation:name", Value.Type.STRING, Level.SPAN),
  INSTRUMENTATION_VERSION("instrumentation:version", Value.Type.STRING, Level.SPAN);

  /** What an intrinsic belongs to: one value per span, per trace, or per event or link. */
  public enum Level {
    SPAN,
    TRACE,
    EVENT,
    LINK
  }

  private static final Map<String, Intrinsic> BY_SPELLING = new HashMap<>();

  static {
    for (Intrinsic i : values()) {
      BY_SPELLING.put(i.canonical, i);
      for (String alias : i.aliases) {
        BY_SPELLING.put(alias, i);
      }
    }
  }

  private final String canonical;
  private final Value.Type type;
  private final Level level;
  private final List<String> aliases;

  Intrinsic(String canonical, Value.Type type, Level level, String... aliases) {
    this.canonical = canonical;
    this.type = type;
    this.level = level;
    this.aliases = List.of(aliases);
  }

  /** The scoped spelling, such as {@code span:duration}. */
  public String canonical() {
    return canonical;
  }

  public Value.Type type() {
    return type;
  }

  public Level level() {
    return level;
  }

  /** Whether a span can hold several values (one per event or link). */
  public boolean multiValued() {
    return level == Level.EVENT || level == Level.LINK;
  }

  /** The intrinsic for a spelling, scoped ({@code span:name}) or legacy ({@code name}), or null. */
  public static Intrinsic forSpelling(String spelling) {
    return BY_SPELLING.get(spelling);
  }

  /** Every accepted spelling, sorted: what autocomplete offers for intrinsics. */
  public static List<String> spellings() {
    List<String> out = new ArrayList<>(BY_SPELLING.keySet());
    Collections.sort(out);
    return List.copyOf(out);
  }
}
