package io.strand.demo;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.concurrent.TimeUnit;

/**
 * Consumes the {@code orders} topic and books shipments with an external carrier API, retrying
 * once when the carrier is briefly unavailable.
 */
final class ShippingService {
  static final String NAME = "shipping";
  static final String VERSION = "1.2.7";

  private static final String CONSUMER_GROUP = "shipping";
  private static final Http.Request CARRIER_BOOKING =
      new Http.Request("POST", "https", "api.carrier.example", 443, "/v2/shipments",
          "/v2/shipments", "shop-shipping/" + VERSION, 880);

  private final ServiceTelemetry telemetry;
  private final Sim sim;

  ShippingService(ServiceTelemetry telemetry, Sim sim) {
    this.telemetry = telemetry;
    this.sim = sim;
  }

  /** Processes one delivered record; the poll happens after a short, variable consumer lag. */
  void consume(Kafka.Message message) {
    long start = message.sentNanos() + sim.latency(12, 0.6);
    Span span = Kafka.startProcess(telemetry, message, CONSUMER_GROUP, start);
    Context ctx = Context.root().with(span);
    long t = start + sim.millis(0.1, 0.5);

    String carrier = sim.pick("dhl", "ups", "dpd");
    long quoteEnd = t + sim.millis(2, 9);
    telemetry
        .span(Scope.APP, "shipment.quote", SpanKind.INTERNAL, ctx, t)
        .setAttribute("app.shipping.carrier", carrier)
        .setAttribute("app.shipping.weight_kg", Math.round(sim.uniform() * 2000) / 100.0 + 0.2)
        .setAttribute("app.shipping.express", sim.chance(0.2))
        .startSpan()
        .end(quoteEnd, TimeUnit.NANOSECONDS);
    t = quoteEnd;

    boolean unavailable = sim.chance(0.03);
    Span booking = Http.startClient(telemetry, ctx, t, CARRIER_BOOKING);
    t += unavailable ? sim.millis(20, 60) : sim.latency(110, 0.4);
    Http.endClient(booking, unavailable ? 503 : 201, null, t);
    if (unavailable) {
      t += sim.millis(100, 200); // back-off before the single retry
      Span retry = Http.startClient(telemetry, ctx, t, CARRIER_BOOKING);
      retry.setAttribute("http.request.resend_count", 1L);
      t += sim.latency(110, 0.4);
      Http.endClient(retry, 201, null, t);
    }
    span.setAttribute("app.shipping.carrier", carrier);
    span.end(t + sim.millis(0.2, 1), TimeUnit.NANOSECONDS);
  }
}
