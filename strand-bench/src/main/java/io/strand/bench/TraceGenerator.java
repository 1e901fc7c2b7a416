package io.strand.bench;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic traces from a fixed seed: 8 services, 60 operations, 5–60 spans per trace with real
 * parent/child structure, 10–20 attributes per span following OpenTelemetry semantic conventions
 * (http, db, messaging, rpc), events on some spans and about 2% errors. The same seed always gives
 * the same traces, so runs are comparable.
 */
public final class TraceGenerator {
  private static final String[] SERVICES = {"frontend", "checkout", "payment", "inventory",
      "shipping", "recommendation", "auth", "search"};
  private static final int OPERATIONS_PER_SERVICE = 60 / SERVICES.length + 1;
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] TABLES = {"orders", "items", "users", "carts", "stock"};
  private static final InstrumentationScope SCOPE =
      new InstrumentationScope("io.opentelemetry.http", "2.10.0", Attributes.EMPTY, 0);

  private final SplittableRandom random;
  private final Resource[] resources = new Resource[SERVICES.length];
  private final long meanSpacingNanos;
  private final int minSpans;
  private final int maxSpans;
  private long clockNanos;

  /**
   * Traces of 5–60 spans, starting about 3.5 ms apart.
   *
   * @param seed the seed; equal seeds give equal traces
   * @param startNanos the start time of the first trace
   */
  public TraceGenerator(long seed, long startNanos) {
    this(seed, startNanos, 3_500_000L, 5, 60);
  }

  /**
   * @param seed the seed; equal seeds give equal traces
   * @param startNanos the start time of the first trace
   * @param meanSpacingNanos average time between trace starts
   * @param minSpans fewest spans in a trace, at least 1
   * @param maxSpans most spans in a trace
   */
  public TraceGenerator(long seed, long startNanos, long meanSpacingNanos, int minSpans,
      int maxSpans) {
    if (minSpans < 1 || maxSpans < minSpans || meanSpacingNanos < 2) {
      throw new IllegalArgumentException("need 1 <= minSpans <= maxSpans and spacing >= 2ns");
    }
    this.random = new SplittableRandom(seed);
    this.clockNanos = startNanos;
    this.meanSpacingNanos = meanSpacingNanos;
    this.minSpans = minSpans;
    this.maxSpans = maxSpans;
    for (int i = 0; i < SERVICES.length; i++) {
      resources[i] = new Resource(Attributes.builder()
          .put(Resource.SERVICE_NAME, SERVICES[i])
          .put("service.version", "1." + i + ".0")
          .put("service.instance.id", SERVICES[i] + "-7d9f8c-" + i)
          .put("deployment.environment.name", "production")
          .put("host.name", "node-" + (i % 3))
          .put("telemetry.sdk.language", "java")
          .put("telemetry.sdk.name", "opentelemetry")
          .put("telemetry.sdk.version", "1.67.0")
          .build(), 0);
    }
  }

  /** The next trace, root first. */
  public List<Span> nextTrace() {
    TraceId traceId = new TraceId(random.nextLong(), random.nextLong() | 1);
    int size = minSpans + random.nextInt(maxSpans - minSpans + 1);
    List<Span> spans = new ArrayList<>(size);
    long start = clockNanos;
    clockNanos += 1 + random.nextLong(2 * meanSpacingNanos);
    long rootDuration = 5_000_000L + random.nextInt(500_000_000);
    spans.add(span(traceId, 1, 0, 0, start, rootDuration, SpanKind.SERVER));
    for (int i = 2; i <= size; i++) {
      Span parent = spans.get(random.nextInt(spans.size()));
      long offset = random.nextLong(Math.max(1, parent.durationNanos() / 2));
      long duration = Math.max(1000, random.nextLong(Math.max(2, parent.durationNanos() - offset)));
      int service = random.nextInt(SERVICES.length);
      SpanKind kind = SpanKind.forNumber(1 + random.nextInt(5));
      spans.add(span(traceId, i, parent.spanId(), service, parent.startTimeUnixNano() + offset,
          duration, kind));
    }
    return spans;
  }

  /**
   * Moves the start of the next trace to {@code nanos} if it is earlier, so that a generator
   * run for a long time can keep its traces near the wall clock.
   */
  public void advanceClockTo(long nanos) {
    clockNanos = Math.max(clockNanos, nanos);
  }

  /** At least {@code count} spans, made of whole traces. */
  public List<Span> spans(int count) {
    List<Span> out = new ArrayList<>(count + 60);
    while (out.size() < count) {
      out.addAll(nextTrace());
    }
    return out;
  }

  private Span span(TraceId traceId, long id, long parent, int service, long start, long duration,
      SpanKind kind) {
    int op = random.nextInt(OPERATIONS_PER_SERVICE);
    boolean error = random.nextInt(50) == 0;
    Attributes.Builder a = Attributes.builder(20);
    String name;
    switch (op % 4) {
      case 0 -> name = http(a, op, error);
      case 1 -> name = db(a, op);
      case 2 -> name = messaging(a, op);
      default -> name = rpc(a, op, service);
    }
    int extra = 10 + random.nextInt(11) - a.size();
    for (int i = 0; i < extra; i++) {
      a.put("app.attr." + i, i % 3 == 0 ? AttributeValue.of(random.nextInt(10_000))
          : AttributeValue.of("value-" + random.nextInt(1000)));
    }
    Span.Builder b = Span.builder(traceId, id)
        .parentSpanId(parent)
        .name(name)
        .kind(kind)
        .startTimeUnixNano(start)
        .endTimeUnixNano(start + duration)
        .attributes(a.build())
        .resource(resources[service])
        .scope(SCOPE)
        .flags(1);
    if (error) {
      b.status(StatusCode.ERROR, "upstream failed")
          .events(List.of(new SpanEvent(start + duration / 2, "exception", Attributes.builder()
              .put("exception.type", "java.io.IOException")
              .put("exception.message", "connection reset by peer").build(), 0)));
    } else if (random.nextInt(8) == 0) {
      b.events(List.of(new SpanEvent(start + duration / 3, "cache miss",
          Attributes.builder().put("cache.key", "k" + random.nextInt(100)).build(), 0)));
    }
    return b.build();
  }

  private String http(Attributes.Builder a, int op, boolean error) {
    String method = METHODS[op % METHODS.length];
    String route = "/api/v1/resource" + op + "/{id}";
    a.put("http.request.method", method)
        .put("http.route", route)
        .put("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000))))
        .put("url.scheme", "https")
        .put("http.response.status_code", error ? 503L : 200L)
        .put("server.address", "api.example.com")
        .put("server.port", 443L)
        .put("network.protocol.version", "1.1")
        .put("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0")
        .put("http.request.body.size", (long) random.nextInt(4096));
    return method + " " + route;
  }

  private String db(Attributes.Builder a, int op) {
    String table = TABLES[op % TABLES.length];
    a.put("db.system", "postgresql")
        .put("db.name", "shop")
        .put("db.operation", "SELECT")
        .put("db.sql.table", table)
        .put("db.statement", "SELECT * FROM " + table + " WHERE id = $1")
        .put("server.address", "db.internal")
        .put("server.port", 5432L)
        .put("db.rows_returned", (long) random.nextInt(50));
    return "SELECT shop." + table;
  }

  private String messaging(Attributes.Builder a, int op) {
    String topic = "events-" + (op % 5);
    a.put("messaging.system", "kafka")
        .put("messaging.destination.name", topic)
        .put("messaging.operation", "publish")
        .put("messaging.kafka.partition", (long) random.nextInt(12))
        .put("messaging.message.body.size", (long) random.nextInt(2048))
        .put("server.address", "kafka.internal");
    return topic + " publish";
  }

  private String rpc(Attributes.Builder a, int op, int service) {
    String method = "Method" + op;
    a.put("rpc.system", "grpc")
        .put("rpc.service", SERVICES[service] + ".v1.Service")
        .put("rpc.method", method)
        .put("rpc.grpc.status_code", 0L)
        .put("server.address", SERVICES[service] + ".internal")
        .put("server.port", 8080L)
        .put("network.peer.address", "10.0." + service + "." + random.nextInt(255));
    return SERVICES[service] + ".v1.Service/" + method;
  }
}
