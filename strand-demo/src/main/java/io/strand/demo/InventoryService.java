package io.strand.demo;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.strand.demo.Db.Database;
import io.strand.demo.Db.Statement;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;

/**
 * Stock lookups and reservations backed by PostgreSQL with a Redis cache. Planted problem: carts
 * larger than {@link #BATCH_LIMIT} lines are reserved with one SELECT per line (N+1 queries).
 */
final class InventoryService {
  static final String NAME = "inventory";
  static final String VERSION = "4.1.0";
  static final String HOST = "inventory.shop.svc.cluster.local";

  /** The batched lookup was written for small carts; anything bigger takes the per-line path. */
  private static final int BATCH_LIMIT = 8;
  private static final double DB_FAILURE_RATE = 0.015;

  private static final Database STOCK_DB =
      new Database("postgresql", "inventory", "pg-inventory-0.db.shop.svc.cluster.local", 5432,
          "inventory_svc", "10.42.9.14");
  private static final Database CACHE =
      new Database("redis", "0", "redis-master.cache.shop.svc.cluster.local", 6379, "default",
          "10.42.9.30");
  private static final Statement SELECT_ONE =
      new Statement("SELECT", "stock", "SELECT sku, available, reserved FROM stock WHERE sku = $1");
  private static final Statement SELECT_MANY =
      new Statement("SELECT", "stock",
          "SELECT sku, available, reserved FROM stock WHERE sku = ANY($1)");
  private static final Statement RESERVE =
      new Statement("UPDATE", "stock",
          "UPDATE stock SET reserved = reserved + r.qty FROM unnest($1::text[], $2::int[])"
              + " AS r(sku, qty) WHERE stock.sku = r.sku");
  private static final Statement RELEASE =
      new Statement("UPDATE", "stock",
          "UPDATE stock SET reserved = reserved - r.qty FROM reservations r"
              + " WHERE r.order_id = $1 AND stock.sku = r.sku");

  private final ServiceTelemetry telemetry;
  private final Sim sim;

  InventoryService(ServiceTelemetry telemetry, Sim sim) {
    this.telemetry = telemetry;
    this.sim = sim;
  }

  static String randomSku(Sim sim) {
    return "SKU-" + sim.between(10_000, 99_999);
  }

  /** Handles {@code GET /api/stock/{sku}}: cache first, database on a miss. */
  Outcome stock(Inbound in, Http.Request request, String sku) {
    Span span = Http.startServer(telemetry, sim, in, request, in.peerAddress());
    span.setAttribute("app.product.id", sku);
    Context ctx = Context.root().with(span);
    long t = in.arrivalNanos() + sim.millis(0.1, 0.4);
    String key = "stock:" + sku;
    t = Db.execute(telemetry, sim, ctx, t, CACHE, new Statement("GET", null, "GET " + key),
        sim.latency(0.5, 0.4), 1, null);
    boolean miss = sim.chance(0.3);
    boolean notFound = false;
    if (miss) {
      span.addEvent("cache miss",
          Attributes.of(SemConv.CACHE_NAME, "stock", SemConv.CACHE_KEY, key), t,
          TimeUnit.NANOSECONDS);
      notFound = sim.chance(0.04);
      t = Db.execute(telemetry, sim, ctx, t + sim.millis(0.05, 0.2), STOCK_DB, SELECT_ONE,
          sim.latency(3, 0.5), notFound ? 0 : 1, null);
      if (!notFound) {
        t = Db.execute(telemetry, sim, ctx, t, CACHE,
            new Statement("SET", null, "SET " + key + " ? EX 60"), sim.latency(0.5, 0.4), 0, null);
      }
    }
    span.setAttribute("app.cache.hit", !miss);
    return Http.endServer(
        span, notFound ? 404 : 200, notFound ? 64 : 180, t + sim.millis(0.1, 0.5));
  }

  /** Handles {@code POST /api/reservations}: check availability, then reserve every line. */
  Outcome reserve(Inbound in, Http.Request request, Order order) {
    int lines = order.skus().size();
    boolean batched = lines <= BATCH_LIMIT;
    Span span = Http.startServer(telemetry, sim, in, request, in.peerAddress());
    span.setAttribute("app.order.id", order.id());
    span.setAttribute("app.cart.items", (long) lines);
    span.setAttribute("app.reservation.batched", batched);
    Context ctx = Context.root().with(span);
    long t = in.arrivalNanos() + sim.millis(0.1, 0.5);
    if (batched) {
      t = Db.execute(telemetry, sim, ctx, t, STOCK_DB, SELECT_MANY, sim.latency(3, 0.4), lines,
          null);
    } else {
      // The N+1: sequential round-trips of the same statement, one per cart line.
      for (int i = 0; i < lines; i++) {
        t = Db.execute(telemetry, sim, ctx, t, STOCK_DB, SELECT_ONE, sim.latency(1.8, 0.35), 1,
            null);
        t += sim.millis(0.02, 0.15);
      }
    }
    if (sim.chance(DB_FAILURE_RATE)) {
      SQLTransientConnectionException error =
          new SQLTransientConnectionException(
              "HikariPool-1 - Connection is not available, request timed out after 250ms.");
      t = Db.execute(telemetry, sim, ctx, t, STOCK_DB, RESERVE, sim.millis(250, 255), 0, error);
      sim.recordException(span, error, t);
      return Http.endServer(span, 503, 128, t + sim.millis(0.1, 0.4),
          "stock database unavailable");
    }
    t = Db.execute(telemetry, sim, ctx, t, STOCK_DB, RESERVE, sim.latency(4, 0.4), lines, null);
    return Http.endServer(span, 201, 96, t + sim.millis(0.1, 0.5));
  }

  /** Handles {@code DELETE /api/reservations/{orderId}} after a failed payment. */
  Outcome release(Inbound in, Http.Request request) {
    Span span = Http.startServer(telemetry, sim, in, request, in.peerAddress());
    Context ctx = Context.root().with(span);
    long t = Db.execute(telemetry, sim, ctx, in.arrivalNanos() + sim.millis(0.1, 0.4), STOCK_DB,
        RELEASE, sim.latency(3.5, 0.4), 1, null);
    return Http.endServer(span, 204, 0, t + sim.millis(0.1, 0.4));
  }
}
