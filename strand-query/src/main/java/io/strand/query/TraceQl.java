package io.strand.query;

import io.strand.query.traceql.Parser;

/**
 * Entry point to TraceQL, Grafana Tempo's trace query language, as Strand implements it. See
 * this module's README for the supported grammar and semantics.
 */
public final class TraceQl {

  private TraceQl() {}

  /**
   * Parses and checks a query.
   *
   * @throws TraceQlException naming the position and the problem
   */
  public static TraceQlQuery parse(String query) {
    if (query == null) {
      throw new TraceQlException(0, "query must not be null");
    }
    return new TraceQlQuery(query, Parser.parse(query));
  }
}
