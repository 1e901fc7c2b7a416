package io.strand.demo;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Wires the simulated services together, each with its own SDK:
 *
 * <pre>
 * frontend ─┬─ HTTP → checkout ─┬─ HTTP → inventory → postgresql, redis
 *           │                   ├─ gRPC → payment ─ gRPC → fraud-check → redis
 *           │                   │                 └ HTTPS → card processor (external)
 *           │                   ├─ postgresql
 *           │                   └─ kafka "orders" → shipping → carrier API (external)
 *           ├─ HTTP → inventory
 *           └─ HTTP → recommendation → redis, LLM (external)
 * </pre>
 */
final class Shop {
  private final List<ServiceTelemetry> telemetry = new ArrayList<>();
  private final FrontendService frontend;

  Shop(Sim sim, Function<String, SpanExporter> exporters) {
    try {
      FraudCheckService fraudCheck =
          new FraudCheckService(
              sdk(FraudCheckService.NAME, FraudCheckService.VERSION, sim, exporters), sim);
      PaymentService payment =
          new PaymentService(
              sdk(PaymentService.NAME, PaymentService.VERSION, sim, exporters), sim, fraudCheck);
      InventoryService inventory =
          new InventoryService(
              sdk(InventoryService.NAME, InventoryService.VERSION, sim, exporters), sim);
      ShippingService shipping =
          new ShippingService(
              sdk(ShippingService.NAME, ShippingService.VERSION, sim, exporters), sim);
      CheckoutService checkout =
          new CheckoutService(
              sdk(CheckoutService.NAME, CheckoutService.VERSION, sim, exporters),
              sim, inventory, payment, shipping);
      RecommendationService recommendation =
          new RecommendationService(
              sdk(RecommendationService.NAME, RecommendationService.VERSION, sim, exporters), sim);
      frontend =
          new FrontendService(
              sdk(FrontendService.NAME, FrontendService.VERSION, sim, exporters),
              sim, checkout, inventory, recommendation);
    } catch (RuntimeException e) {
      // Do not leak the SDKs (and their exporter threads) that were already built.
      telemetry.forEach(ServiceTelemetry::shutdown);
      throw e;
    }
  }

  /** Generates one complete request trace starting at the current wall-clock time. */
  Outcome serveOne() {
    return frontend.serve();
  }

  /** Every service's SDK, for flushing and shutdown. */
  List<ServiceTelemetry> telemetry() {
    return List.copyOf(telemetry);
  }

  private ServiceTelemetry sdk(
      String name, String version, Sim sim, Function<String, SpanExporter> exporters) {
    ServiceTelemetry created = ServiceTelemetry.create(name, version, sim, exporters.apply(name));
    telemetry.add(created);
    return created;
  }
}
