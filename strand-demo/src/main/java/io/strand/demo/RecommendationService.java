package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.strand.demo.Db.Database;
import io.strand.demo.Db.Statement;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Personalised product recommendations: user embedding from Redis, a recursive ranker and an
 * optional LLM-written blurb. Planted problem: the ranker sometimes recurses 12–20 levels deep.
 */
final class RecommendationService {
  static final String NAME = "recommendation";
  static final String VERSION = "5.0.3";
  static final String HOST = "recommendation.shop.svc.cluster.local";

  private static final double DEEP_RECURSION_RATE = 0.10;
  private static final double LLM_RATE = 0.5;
  private static final double LLM_RATE_LIMITED = 0.03;
  private static final String MODEL = "gpt-4o-mini";
  private static final long MAX_TOKENS = 96;
  private static final Database CACHE =
      new Database("redis", "1", "redis-master.cache.shop.svc.cluster.local", 6379, "default",
          "10.42.9.30");

  private final ServiceTelemetry telemetry;
  private final Sim sim;

  RecommendationService(ServiceTelemetry telemetry, Sim sim) {
    this.telemetry = telemetry;
    this.sim = sim;
  }

  /** Handles {@code GET /api/recommendations}. */
  Outcome recommend(Inbound in, Http.Request request, String userId, int limit) {
    Span span = Http.startServer(telemetry, sim, in, request, in.peerAddress());
    span.setAttribute("app.recs.limit", (long) limit);
    span.setAttribute("app.recs.strategy", "hybrid-v3");
    Context ctx = Context.root().with(span);
    long t = in.arrivalNanos() + sim.millis(0.1, 0.5);

    String key = "emb:user:" + userId;
    t = Db.execute(telemetry, sim, ctx, t, CACHE, new Statement("GET", null, "GET " + key),
        sim.latency(0.5, 0.4), 1, null);
    if (sim.chance(0.3)) {
      span.addEvent("cache miss",
          Attributes.of(CACHE_NAME, "user-embeddings", CACHE_KEY, key), t, TimeUnit.NANOSECONDS);
      long end = t + sim.millis(8, 25);
      telemetry
          .span(Scope.APP, "embedding.compute", SpanKind.INTERNAL, ctx, t)
          .setAttribute("app.embedding.dimensions", 256L)
          .startSpan()
          .end(end, TimeUnit.NANOSECONDS);
      t = end;
    }

    int depth = sim.chance(DEEP_RECURSION_RATE) ? sim.between(12, 20) : sim.between(2, 4);
    t = rank(ctx, t, 1, depth, 400, limit);

    boolean personalized = sim.chance(LLM_RATE);
    if (personalized) {
      t = blurb(ctx, span, t);
    }
    span.setAttribute("app.recs.personalized", personalized);
    return Http.endServer(span, 200, 800L + 240L * limit, t + sim.millis(0.2, 1));
  }

  /** Refines the candidate set level by level; each level is its own span. */
  private long rank(Context parent, long start, int level, int depth, long candidates, int limit) {
    Span span =
        telemetry
            .span(Scope.APP, "rank.recurse", SpanKind.INTERNAL, parent, start)
            .setAttribute("app.rank.depth", (long) level)
            .setAttribute("app.rank.candidates", candidates)
            .startSpan();
    long t = start + sim.millis(0.3, 1.5);
    if (level < depth) {
      t = rank(parent.with(span), t + sim.millis(0.01, 0.05), level + 1, depth,
          Math.max(limit, candidates * 3 / 4), limit);
    }
    t += sim.millis(0.1, 0.6);
    span.end(t, TimeUnit.NANOSECONDS);
    return t;
  }

  /** Asks the LLM for a one-line pitch; falls back to a static text when rate-limited. */
  private long blurb(Context ctx, Span server, long start) {
    Span span =
        telemetry
            .span(Scope.GEN_AI, "chat " + MODEL, SpanKind.CLIENT, ctx, start)
            .setAttribute(GEN_AI_SYSTEM, "openai")
            .setAttribute(GEN_AI_OPERATION_NAME, "chat")
            .setAttribute(GEN_AI_REQUEST_MODEL, MODEL)
            .setAttribute(GEN_AI_REQUEST_TEMPERATURE, 0.3)
            .setAttribute(GEN_AI_REQUEST_MAX_TOKENS, MAX_TOKENS)
            .setAttribute(SERVER_ADDRESS, "api.openai.com")
            .setAttribute(SERVER_PORT, 443L)
            .startSpan();
    if (sim.chance(LLM_RATE_LIMITED)) {
      long end = start + sim.latency(90, 0.3);
      sim.recordException(span,
          new RateLimitedException("429 Too Many Requests: rate limit reached for " + MODEL), end);
      span.setAttribute(ERROR_TYPE, "429");
      span.setStatus(StatusCode.ERROR, "rate limited");
      span.end(end, TimeUnit.NANOSECONDS);
      server.addEvent("llm fallback",
          Attributes.of(AttributeKey.stringKey("app.fallback.reason"), "rate_limited"), end,
          TimeUnit.NANOSECONDS);
      return end;
    }
    long inputTokens = sim.between(350, 1400);
    long outputTokens = sim.between(20, (int) MAX_TOKENS);
    // Time to first token, then a roughly constant per-token decode rate. Kept well under the
    // fraud-check stalls so the planted slow dependency stays the obvious outlier.
    long end = start + sim.latency(250, 0.25) + outputTokens * sim.millis(5, 9);
    span.setAttribute(GEN_AI_RESPONSE_MODEL, MODEL + "-2024-07-18");
    span.setAttribute(GEN_AI_RESPONSE_ID, "chatcmpl-" + sim.hex(24));
    span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, inputTokens);
    span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, outputTokens);
    span.setAttribute(GEN_AI_RESPONSE_FINISH_REASONS,
        List.of(outputTokens == MAX_TOKENS ? "length" : "stop"));
    span.end(end, TimeUnit.NANOSECONDS);
    return end;
  }
}
