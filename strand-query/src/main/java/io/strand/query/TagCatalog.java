package io.strand.query;

import io.strand.model.Attributes;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.query.traceql.FieldRef;
import io.strand.query.traceql.Intrinsic;
import io.strand.query.traceql.Parser;
import io.strand.query.traceql.TraceView;
import io.strand.query.traceql.Value;
import io.strand.storage.StorageComponent;
import io.strand.storage.TraceQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tag names and values for TraceQL autocomplete.
 *
 * <p>Names and values come from a bounded sample: the most recent traces (at most {@code
 * maxTraces}, 500 by default) having a span that started within the last {@code lookback} (one
 * hour by default). The SPI has no attribute index, so this reads whole traces; the bound keeps
 * one call to a few hundred trace reads however much is stored, at the price of missing rare
 * values and anything older than the lookback. Each call samples afresh; cache in the caller if
 * calls are frequent.
 *
 * <p>Thread-safe.
 */
public final class TagCatalog {

  /** Which tag names to list. */
  public enum Scope {
    /** Span attribute keys. */
    SPAN,
    /** Resource attribute keys. */
    RESOURCE,
    /** The intrinsic fields: a fixed list. */
    INTRINSIC
  }

  private final StorageComponent storage;
  private final Clock clock;
  private final Duration lookback;
  private final int maxTraces;

  /** A catalog sampling up to 500 traces from the last hour. */
  public TagCatalog(StorageComponent storage) {
    this(storage, Clock.systemUTC(), Duration.ofHours(1), 500);
  }

  /**
   * @param clock what "now" is
   * @param lookback how far back from now spans are sampled
   * @param maxTraces most traces sampled per call
   */
  public TagCatalog(StorageComponent storage, Clock clock, Duration lookback, int maxTraces) {
    if (maxTraces < 1 || lookback.isNegative()) {
      throw new IllegalArgumentException("need a positive sample size and lookback");
    }
    this.storage = storage;
    this.clock = clock;
    this.lookback = lookback;
    this.maxTraces = maxTraces;
  }

  /** Distinct tag names of a scope, sorted; the intrinsics in every accepted spelling. */
  public List<String> tagNames(Scope scope) {
    if (scope == Scope.INTRINSIC) {
      return Intrinsic.spellings();
    }
    TreeSet<String> names = new TreeSet<>();
    for (List<Span> trace : sample()) {
      for (Span s : trace) {
        Attributes a = scope == Scope.SPAN ? s.attributes() : s.resource().attributes();
        for (int i = 0; i < a.size(); i++) {
          names.add(a.key(i));
        }
      }
    }
    return List.copyOf(names);
  }

  /**
   * Values of a tag, most frequent first, then by value.
   *
   * @param tag a TraceQL field: {@code span.x}, {@code resource.x}, {@code .x}, or an intrinsic
   *     such as {@code name}, {@code status}, {@code kind} or {@code trace:rootService}
   * @param prefixOrNull keep only values starting with this, or null for all
   * @param limit most values to return, at least 1
   * @throws io.strand.query.TraceQlException when the tag is not a TraceQL field
   */
  public List<String> tagValues(String tag, String prefixOrNull, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    FieldRef field = Parser.parseField(tag);
    boolean perTrace = field instanceof FieldRef.IntrinsicField f
        && f.intrinsic().level() == Intrinsic.Level.TRACE;
    Map<String, Integer> counts = new HashMap<>();
    for (List<Span> trace : sample()) {
      TraceView view = TraceView.of(trace);
      Set<String> seenInTrace = new HashSet<>();
      for (int i = 0; i < view.size(); i++) {
        for (Value v : view.values(field, i)) {
          List<Value> flat = v instanceof Value.Array a ? a.elements() : List.of(v);
          for (Value e : flat) {
            String text = e.display();
            boolean wanted = prefixOrNull == null || text.startsWith(prefixOrNull);
            if (wanted && (!perTrace || seenInTrace.add(text))) {
              counts.merge(text, 1, Integer::sum);
            }
          }
        }
      }
    }
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    return entries.stream().limit(limit).map(Map.Entry::getKey).toList();
  }

  private List<List<Span>> sample() {
    Instant t = clock.instant();
    long now = t.getEpochSecond() * 1_000_000_000L + t.getNano();
    // Durations beyond ~292 years do not fit in nanoseconds: they mean "everything".
    long back = lookback.getSeconds() >= Long.MAX_VALUE / 2_000_000_000L
        ? Long.MAX_VALUE : lookback.toNanos();
    long from = Math.max(Long.MIN_VALUE + back, now) - back;
    List<TraceId> ids = storage.traceSearch().findTraceIds(TraceQuery.builder()
        .startTimeMinNanos(from).startTimeMaxNanos(now).limit(maxTraces).build());
    List<List<Span>> traces = new ArrayList<>(ids.size());
    for (TraceId id : ids) {
      List<Span> trace = storage.traceReader().getTrace(id);
      if (!trace.isEmpty()) {
        traces.add(trace);
      }
    }
    return traces;
  }
}
