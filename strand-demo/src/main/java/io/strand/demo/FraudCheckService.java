package io.strand.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.strand.demo.Db.Database;
import io.strand.demo.Db.Statement;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scores transactions with a model. Planted problem: now and then its model cache is cold and
 * inference takes 1.5–3 s, which makes payment (and thus checkout) slow.
 */
final class FraudCheckService {
  static final String NAME = "fraud-check";
  static final String VERSION = "0.9.4";
  static final String HOST = "fraud-check.shop.svc.cluster.local";

  private static final double SLOW_RATE = 0.06;
  private static final AttributeKey<List<String>> RULES =
      AttributeKey.stringArrayKey("app.fraud.rules_triggered");
  private static final Database FEATURES =
      new Database("redis", "2", "redis-features.cache.shop.svc.cluster.local", 6379, "default",
          "10.42.9.31");

  private final ServiceTelemetry telemetry;
  private final Sim sim;

  FraudCheckService(ServiceTelemetry telemetry, Sim sim) {
    this.telemetry = telemetry;
    this.sim = sim;
  }

  /** Handles {@code FraudCheck/Score}. */
  Outcome score(Inbound in, Rpc.Request request, Order order) {
    Span span = Rpc.startServer(telemetry, sim, in, request);
    span.setAttribute("app.order.id", order.id());
    span.setAttribute("app.fraud.model", "gbdt-v7");
    Context ctx = Context.root().with(span);
    long t = in.arrivalNanos() + sim.millis(0.1, 0.5);
    t = Db.execute(telemetry, sim, ctx, t, FEATURES,
        new Statement("HGETALL", null, "HGETALL features:user:" + order.userId()),
        sim.latency(0.6, 0.4), 1, null);

    boolean slow = sim.chance(SLOW_RATE);
    Span inference =
        telemetry
            .span(Scope.APP, "model.inference", SpanKind.INTERNAL, ctx, t)
            .setAttribute("app.model.name", "gbdt-v7")
            .setAttribute("app.model.features", 148L)
            .startSpan();
    if (slow) {
      inference.addEvent(
          "model cache cold, reloading weights",
          Attributes.of(AttributeKey.longKey("app.model.size_mb"), 412L),
          t + sim.millis(0.1, 0.5),
          TimeUnit.NANOSECONDS);
      t += sim.millis(1_500, 3_000);
    } else {
      t += sim.latency(18, 0.4);
    }
    inference.end(t, TimeUnit.NANOSECONDS);

    double score = Math.round(sim.uniform() * sim.uniform() * 1000) / 1000.0;
    span.setAttribute("app.fraud.score", score);
    span.setAttribute(RULES, score > 0.5 ? List.of("velocity_24h", "new_device") : List.of());
    span.setAttribute("app.fraud.cold_start", slow);
    return Rpc.endServer(span, Rpc.OK, null, t + sim.millis(0.1, 0.4));
  }
}
