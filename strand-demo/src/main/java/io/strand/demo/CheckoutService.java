package io.strand.demo;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.strand.demo.Db.Database;
import io.strand.demo.Db.Statement;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.concurrent.TimeUnit;

/**
 * Orchestrates an order: reserve stock (inventory, HTTP), charge the card (payment, gRPC), persist
 * the order (own PostgreSQL) and hand it to shipping through Kafka.
 */
final class CheckoutService {
  static final String NAME = "checkout";
  static final String VERSION = "1.14.0";
  static final String HOST = "checkout.shop.svc.cluster.local";
  static final String ORDERS_TOPIC = "orders";

  private static final String AGENT = "Java-http-client/21.0.5";
  private static final Database ORDERS_DB =
      new Database("postgresql", "orders", "pg-orders-0.db.shop.svc.cluster.local", 5432,
          "checkout_svc", "10.42.9.21");
  private static final Statement INSERT_ORDER =
      new Statement("INSERT", "orders",
          "INSERT INTO orders (id, user_id, total, currency, status) VALUES ($1, $2, $3, $4, $5)");
  private static final Rpc.Request CHARGE =
      new Rpc.Request("shop.payment.v1.PaymentService", "Charge", PaymentService.HOST, 50051);

  private final ServiceTelemetry telemetry;
  private final Sim sim;
  private final InventoryService inventory;
  private final PaymentService payment;
  private final ShippingService shipping;

  CheckoutService(
      ServiceTelemetry telemetry,
      Sim sim,
      InventoryService inventory,
      PaymentService payment,
      ShippingService shipping) {
    this.telemetry = telemetry;
    this.sim = sim;
    this.inventory = inventory;
    this.payment = payment;
    this.shipping = shipping;
  }

  /** Handles {@code POST /orders}. */
  Outcome placeOrder(Inbound in, Http.Request request, Order order) {
    Span span = Http.startServer(telemetry, sim, in, request, in.peerAddress());
    span.setAttribute("app.order.id", order.id());
    span.setAttribute("app.cart.items", (long) order.skus().size());
    span.setAttribute("app.order.total", order.total());
    span.setAttribute("app.order.currency", order.currency());
    Context ctx = Context.root().with(span);
    long t = validate(ctx, in.arrivalNanos() + sim.millis(0.2, 0.8), order);

    Http.Request reserve =
        new Http.Request("POST", "http", InventoryService.HOST, 8080, "/api/reservations",
            "/api/reservations", AGENT, 96L + 48L * order.skus().size());
    Outcome reserved =
        Http.call(telemetry, sim, ctx, t, reserve, call -> inventory.reserve(call, reserve, order));
    t = reserved.endNanos() + sim.millis(0.1, 0.5);
    if (reserved.code() >= 500) {
      return Http.endServer(span, 503, 256, t, "stock reservation failed");
    }

    Outcome paid =
        Rpc.call(telemetry, sim, ctx, t, CHARGE, call -> payment.charge(call, CHARGE, order));
    t = paid.endNanos() + sim.millis(0.1, 0.5);
    if (paid.isError()) {
      // Give the stock back so a failed payment does not hold items hostage.
      String target = "/api/reservations/" + order.id();
      Http.Request release =
          new Http.Request("DELETE", "http", InventoryService.HOST, 8080,
              "/api/reservations/{orderId}", target, AGENT, 0);
      Outcome released =
          Http.call(telemetry, sim, ctx, t, release, call -> inventory.release(call, release));
      return Http.endServer(span, 500, 256, released.endNanos() + sim.millis(0.1, 0.4),
          "payment failed: " + paid.errorType());
    }

    t = Db.execute(telemetry, sim, ctx, t, ORDERS_DB, INSERT_ORDER, sim.latency(2.5, 0.4), 1, null);
    Kafka.Message message =
        Kafka.send(telemetry, sim, ctx, t + sim.millis(0.05, 0.3), ORDERS_TOPIC, order.id(),
            420L + 40L * order.skus().size());
    // The consumer runs "later" on the shipping side; its spans may end after this trace's root.
    shipping.consume(message);
    return Http.endServer(span, 200, sim.between(300, 700), message.sentNanos()
        + sim.millis(0.1, 0.6));
  }

  private long validate(Context ctx, long start, Order order) {
    long end = start + sim.millis(0.4, 2.5);
    telemetry
        .span(Scope.APP, "cart.validate", SpanKind.INTERNAL, ctx, start)
        .setAttribute("app.cart.items", (long) order.skus().size())
        .setAttribute("app.cart.has_promo", sim.chance(0.15))
        .startSpan()
        .end(end, TimeUnit.NANOSECONDS);
    return end;
  }
}
