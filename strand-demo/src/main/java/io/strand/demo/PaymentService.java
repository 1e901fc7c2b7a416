package io.strand.demo;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * Charges cards over gRPC. Asks fraud-check first (the occasional slow dependency), then calls an
 * external card processor that is not traced; a few percent of charges are declined.
 */
final class PaymentService {
  static final String NAME = "payment";
  static final String VERSION = "2.3.1";
  static final String HOST = "payment.shop.svc.cluster.local";

  private static final double DECLINE_RATE = 0.07;
  private static final Rpc.Request SCORE =
      new Rpc.Request("shop.fraud.v1.FraudCheck", "Score", FraudCheckService.HOST, 50051);
  private static final Http.Request PROCESSOR_CHARGE =
      new Http.Request("POST", "https", "api.cardprocessor.example", 443, "/v1/charges",
          "/v1/charges", "shop-payment/" + VERSION, 512);

  private final ServiceTelemetry telemetry;
  private final Sim sim;
  private final FraudCheckService fraudCheck;

  PaymentService(ServiceTelemetry telemetry, Sim sim, FraudCheckService fraudCheck) {
    this.telemetry = telemetry;
    this.sim = sim;
    this.fraudCheck = fraudCheck;
  }

  /** Handles {@code PaymentService/Charge}. */
  Outcome charge(Inbound in, Rpc.Request request, Order order) {
    Span span = Rpc.startServer(telemetry, sim, in, request);
    span.setAttribute("app.order.id", order.id());
    span.setAttribute("app.payment.amount", order.total());
    span.setAttribute("app.payment.currency", order.currency());
    span.setAttribute("app.payment.card_brand", sim.pick("visa", "mastercard", "amex"));
    span.setAttribute("app.payment.3ds_required", order.total() > 250);
    Context ctx = Context.root().with(span);
    long t = in.arrivalNanos() + sim.millis(0.2, 1);

    Outcome fraud =
        Rpc.call(telemetry, sim, ctx, t, SCORE, call -> fraudCheck.score(call, SCORE, order));
    t = fraud.endNanos() + sim.millis(0.1, 0.5);
    if (fraud.isError()) {
      return Rpc.endServer(span, Rpc.UNAVAILABLE, fraud.errorType(), t);
    }

    boolean declined = sim.chance(DECLINE_RATE);
    Span processor = Http.startClient(telemetry, ctx, t, PROCESSOR_CHARGE);
    t += sim.latency(140, 0.35);
    Http.endClient(processor, declined ? 402 : 200, declined ? "card_declined" : null, t);
    t += sim.millis(0.2, 1);
    if (declined) {
      String reason = sim.pick("insufficient_funds", "do_not_honor", "expired_card");
      span.setAttribute("app.payment.decline_reason", reason);
      sim.recordException(span, new PaymentDeclinedException("card declined: " + reason), t);
      return Rpc.endServer(span, Rpc.FAILED_PRECONDITION,
          PaymentDeclinedException.class.getName(), t);
    }
    return Rpc.endServer(span, Rpc.OK, null, t);
  }
}
