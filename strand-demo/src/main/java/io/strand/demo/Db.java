package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.concurrent.TimeUnit;

/**
 * Database CLIENT spans. Databases do not emit traces themselves, so these spans (owned by the
 * calling service) are the only record of a query.
 */
final class Db {
  private Db() {}

  /** Connection coordinates of one logical database. */
  record Database(String system, String name, String host, int port, String user, String ip) {}

  /**
   * One statement.
   *
   * @param table target table (SQL) or {@code null} for key-value stores
   */
  record Statement(String operation, String table, String text) {
    String spanName(Database db) {
      return table == null ? operation : operation + " " + db.name() + "." + table;
    }
  }

  /**
   * Records a statement that ran for {@code durationNanos} starting at {@code startNanos}.
   *
   * @param failure if non-null the statement failed with it
   * @return the end instant
   */
  static long execute(
      ServiceTelemetry service,
      Sim sim,
      Context parent,
      long startNanos,
      Database db,
      Statement statement,
      long durationNanos,
      long rows,
      Throwable failure) {
    Scope scope = "redis".equals(db.system()) ? Scope.REDIS : Scope.JDBC;
    Span span =
        service
            .span(scope, statement.spanName(db), SpanKind.CLIENT, parent, startNanos)
            .setAttribute(DB_SYSTEM, db.system())
            .setAttribute(DB_NAME, db.name())
            .setAttribute(DB_STATEMENT, statement.text())
            .setAttribute(DB_OPERATION, statement.operation())
            .setAttribute(DB_USER, db.user())
            .setAttribute(SERVER_ADDRESS, db.host())
            .setAttribute(SERVER_PORT, (long) db.port())
            .setAttribute(NETWORK_PEER_ADDRESS, db.ip())
            .setAttribute(NETWORK_PEER_PORT, (long) db.port())
            .startSpan();
    if (statement.table() != null) {
      span.setAttribute(DB_SQL_TABLE, statement.table());
    }
    long end = startNanos + durationNanos;
    if (failure != null) {
      sim.recordException(span, failure, end);
      span.setAttribute(ERROR_TYPE, failure.getClass().getName());
      span.setStatus(StatusCode.ERROR, failure.getMessage());
    } else {
      span.setAttribute(DB_RESPONSE_RETURNED_ROWS, rows);
    }
    span.end(end, TimeUnit.NANOSECONDS);
    return end;
  }
}
