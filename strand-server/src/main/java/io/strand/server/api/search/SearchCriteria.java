package io.strand.server.api.search;

import io.strand.model.Span;
import io.strand.storage.TraceQuery;
import java.util.function.Predicate;

/**
 * One way a span can make its trace a search result: the store query, plus optionally a span
 * predicate for what {@link TraceQuery} cannot express (an attribute that merely exists, an event
 * name, the span kind). A span matches when it satisfies both, so every criterion still holds for
 * one and the same span.
 *
 * @param query what the store can search for
 * @param spanFilter additional test on the same span, or null for none
 */
public record SearchCriteria(TraceQuery query, Predicate<Span> spanFilter) {

  public SearchCriteria {
    if (query == null) {
      throw new IllegalArgumentException("query must not be null");
    }
  }

  /** Criteria the store answers alone. */
  public static SearchCriteria of(TraceQuery query) {
    return new SearchCriteria(query, null);
  }

  /** Whether {@code span} satisfies the query and the filter. */
  public boolean test(Span span) {
    return query.test(span) && (spanFilter == null || spanFilter.test(span));
  }
}
