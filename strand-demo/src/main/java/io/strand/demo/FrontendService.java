package io.strand.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The public web tier and the root of every trace. Routes a simulated browser request to one of
 * three pages: home (recommendations), product (stock + recommendations in parallel) or checkout.
 */
final class FrontendService {
  static final String NAME = "frontend";
  static final String VERSION = "3.8.2";

  private static final String HOST = "shop.example.com";
  /** The ingress load balancer is the TCP peer of every browser request. */
  private static final String INGRESS_IP = "10.42.0.10";
  private static final String INTERNAL_AGENT = "Java-http-client/21.0.5";
  private static final AttributeKey<List<String>> AB_BUCKETS =
      AttributeKey.stringArrayKey("app.ab.buckets");
  private static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/131.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko)"
              + " Version/18.1 Safari/605.1.15",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
              + " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
              + " Chrome/131.0.0.0 Mobile Safari/537.36");

  private record Visitor(
      String userAgent,
      String clientIp,
      String userId,
      String sessionId,
      boolean authenticated,
      List<String> abBuckets) {}

  private final ServiceTelemetry telemetry;
  private final Sim sim;
  private final CheckoutService checkout;
  private final InventoryService inventory;
  private final RecommendationService recommendation;

  FrontendService(
      ServiceTelemetry telemetry,
      Sim sim,
      CheckoutService checkout,
      InventoryService inventory,
      RecommendationService recommendation) {
    this.telemetry = telemetry;
    this.sim = sim;
    this.checkout = checkout;
    this.inventory = inventory;
    this.recommendation = recommendation;
  }

  /** Serves one browser request that arrives now; returns when the response was sent. */
  Outcome serve() {
    long start = sim.wallClockNanos();
    Visitor visitor =
        new Visitor(
            sim.pick(USER_AGENTS),
            sim.publicIp(),
            "u-" + sim.between(10_000, 99_999),
            sim.hex(16),
            sim.chance(0.6),
            List.of(
                "checkout-v2:" + sim.pick("a", "b"), "search-ranker:" + sim.pick("ctl", "exp")));
    double route = sim.uniform();
    if (route < 0.40) {
      return home(visitor, start);
    } else if (route < 0.70) {
      return product(visitor, start);
    }
    return checkout(visitor, start);
  }

  private Outcome home(Visitor visitor, long start) {
    Http.Request request = page("GET", "/", "/", visitor, 0);
    Span span = startRoot(visitor, request, start);
    Context ctx = Context.root().with(span);
    long t = start + sim.millis(0.3, 1.5);
    Outcome recs = recommendations(ctx, t, visitor, 8);
    t = render(ctx, recs.endNanos(), "home");
    int status = recs.code() >= 500 ? 502 : 200;
    return Http.endServer(span, status, sim.between(28_000, 64_000), t);
  }

  private Outcome product(Visitor visitor, long start) {
    String sku = InventoryService.randomSku(sim);
    Http.Request request = page("GET", "/product/{id}", "/product/" + sku, visitor, 0);
    Span span = startRoot(visitor, request, start);
    span.setAttribute("app.product.id", sku);
    Context ctx = Context.root().with(span);
    long t = start + sim.millis(0.3, 1.2);
    if (sim.chance(0.35)) {
      // Rendered product fragments are cached at the edge; a miss means a full render below.
      span.addEvent(
          "cache miss",
          Attributes.of(SemConv.CACHE_NAME, "product-fragments", SemConv.CACHE_KEY, "pf:" + sku),
          t,
          TimeUnit.NANOSECONDS);
    }
    // Stock and recommendations are fetched concurrently, so both calls start at t.
    Http.Request stockRequest =
        internal("GET", InventoryService.HOST, "/api/stock/{sku}", "/api/stock/" + sku, 0);
    Outcome stock =
        Http.call(
            telemetry, sim, ctx, t, stockRequest, in -> inventory.stock(in, stockRequest, sku));
    Outcome recs = recommendations(ctx, t + sim.millis(0.05, 0.3), visitor, 4);
    t = render(ctx, Math.max(stock.endNanos(), recs.endNanos()), "product");
    int status = stock.code() >= 500 || recs.code() >= 500 ? 502 : stock.code() == 404 ? 404 : 200;
    return Http.endServer(span, status, sim.between(40_000, 90_000), t);
  }

  private Outcome checkout(Visitor visitor, long start) {
    // Most carts are small; bulk carts (office supplies, etc.) trip inventory's N+1 path.
    int items = sim.chance(0.22) ? sim.between(10, 30) : sim.between(1, 6);
    List<String> skus = new ArrayList<>(items);
    double total = 0;
    for (int i = 0; i < items; i++) {
      skus.add(InventoryService.randomSku(sim));
      total += Math.round(sim.uniform() * 8_000 + 499) / 100.0;
    }
    Order order =
        new Order("ord-" + sim.hex(12), visitor.userId(), skus, Math.round(total * 100) / 100.0,
            "EUR");
    long bodySize = 180L + 64L * items;
    Http.Request request = page("POST", "/api/checkout", "/api/checkout", visitor, bodySize);
    Span span = startRoot(visitor, request, start);
    span.setAttribute("app.cart.items", (long) items);
    Context ctx = Context.root().with(span);
    long t = start + sim.millis(0.5, 2);
    Http.Request orderRequest =
        internal("POST", CheckoutService.HOST, "/orders", "/orders", bodySize);
    Outcome placed =
        Http.call(telemetry, sim, ctx, t, orderRequest,
            in -> checkout.placeOrder(in, orderRequest, order));
    t = placed.endNanos() + sim.millis(0.2, 1);
    if (placed.code() >= 500) {
      return Http.endServer(span, 502, 512, t, "checkout failed: " + placed.errorType());
    }
    return Http.endServer(span, placed.code(), sim.between(300, 900), t);
  }

  private Span startRoot(Visitor visitor, Http.Request request, long start) {
    Inbound fromIngress = new Inbound(Map.of(), start, INGRESS_IP);
    Span span = Http.startServer(telemetry, sim, fromIngress, request, visitor.clientIp());
    span.setAttribute("app.session.id", visitor.sessionId());
    span.setAttribute("app.user.authenticated", visitor.authenticated());
    span.setAttribute(AB_BUCKETS, visitor.abBuckets());
    return span;
  }

  private Outcome recommendations(Context ctx, long start, Visitor visitor, int limit) {
    String target = "/api/recommendations?user=" + visitor.userId() + "&limit=" + limit;
    Http.Request request =
        internal("GET", RecommendationService.HOST, "/api/recommendations", target, 0);
    return Http.call(telemetry, sim, ctx, start, request,
        in -> recommendation.recommend(in, request, visitor.userId(), limit));
  }

  /** Server-side template rendering, the last step of every page. */
  private long render(Context ctx, long start, String template) {
    boolean cached = sim.chance(0.8);
    long end = start + (cached ? sim.millis(1, 4) : sim.millis(6, 18));
    telemetry
        .span(Scope.APP, "render " + template, SpanKind.INTERNAL, ctx, start)
        .setAttribute("app.template.name", template)
        .setAttribute("app.template.cached", cached)
        .startSpan()
        .end(end, TimeUnit.NANOSECONDS);
    return end;
  }

  private static Http.Request page(
      String method, String route, String target, Visitor visitor, long bodySize) {
    return new Http.Request(method, "https", HOST, 443, route, target, visitor.userAgent(),
        bodySize);
  }

  private static Http.Request internal(
      String method, String host, String route, String target, long bodySize) {
    return new Http.Request(method, "http", host, 8080, route, target, INTERNAL_AGENT, bodySize);
  }
}
