package io.strand.query.traceql;

import io.strand.model.Span;
import java.util.List;

/**
 * Read access to TraceQL fields of one trace's spans, outside a query: what autocomplete needs to
 * list the values of a field.
 */
public final class TraceView {

  private final TraceIndex index;
  private final FieldResolver fields;

  private TraceView(TraceIndex index) {
    this.index = index;
    this.fields = new FieldResolver(index);
  }

  /** Indexes a trace (its spans in any order). */
  public static TraceView of(List<Span> trace) {
    return new TraceView(TraceIndex.of(trace));
  }

  /** Number of spans. */
  public int size() {
    return index.size();
  }

  /** The field's values on the {@code i}-th span in start order; empty when missing. */
  public List<Value> values(FieldRef field, int i) {
    return fields.values(field, i);
  }
}
