package io.strand.query;

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
import java.util.Random;

/**
 * A fixed, seeded corpus of shop traces with realistic structure for the TraceQL correctness
 * suite: a frontend calling cart, checkout, inventory and auth over HTTP (client and server
 * halves), databases, a payment service that sometimes declines with 503 and an exception event,
 * a queue to shipping (producer and consumer), integer status codes, doubles, booleans, arrays,
 * several hosts and environments. Some traces lack their root span, some share a start time,
 * and some cross the edges of {@link #PARTIAL_WINDOW_START}..{@link #PARTIAL_WINDOW_END}.
 */
public final class TraceCorpus {

  /** Base time (2026-01-01T00:00:00Z) in nanoseconds; traces start within three hours of it. */
  public static final long T0 = 1_767_225_600_000_000_000L;

  public static final long MS = 1_000_000L;
  public static final long HOUR = 3_600_000 * MS;

  /** A window covering every trace. */
  public static final long FULL_WINDOW_START = T0 - HOUR;
  public static final long FULL_WINDOW_END = T0 + 4 * HOUR;

  /** A window some traces cross: they start before its start or end after its end. */
  public static final long PARTIAL_WINDOW_START = T0 + HOUR;
  public static final long PARTIAL_WINDOW_END = T0 + 2 * HOUR;

  /** The start time of every 25th trace, so ties in start time occur. */
  public static final long SHARED_START = T0 + HOUR + 30 * 60_000 * MS;

  private static final String[] ROUTES = {
    "GET /cart", "POST /checkout", "GET /product/{id}", "POST /login", "GET /health"
  };

  private final Random rnd;
  private final List<Span> spans = new ArrayList<>();
  private TraceId traceId;
  private long nextSpanId;
  private String environment;
  private String host;

  private TraceCorpus(long seed) {
    this.rnd = new Random(seed);
  }

  /** {@code count} traces from {@code seed}; the same arguments always give the same spans. */
  public static List<List<Span>> generate(long seed, int count) {
    TraceCorpus c = new TraceCorpus(seed);
    List<List<Span>> traces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      traces.add(c.trace(i));
    }
    return traces;
  }

  private List<Span> trace(int i) {
    spans.clear();
    traceId = new TraceId(rnd.nextLong() | 1, rnd.nextLong());
    nextSpanId = 1 + rnd.nextInt(1000);
    environment = rnd.nextInt(5) == 0 ? "staging" : "production";
    host = "host-" + (1 + rnd.nextInt(5));
    long start;
    if (i % 40 == 7) {
      start = PARTIAL_WINDOW_START - 300 * MS; // crosses the partial window's start
    } else if (i % 40 == 23) {
      start = PARTIAL_WINDOW_END - 20 * MS; // crosses the partial window's end
    } else if (i % 25 == 3) {
      start = SHARED_START;
    } else {
      start = T0 + (long) (rnd.nextDouble() * 3 * HOUR);
    }
    String route = ROUTES[pick(new int[] {30, 25, 25, 12, 8})];
    root(route, start);
    if (rnd.nextInt(25) == 0) {
      spans.removeIf(Span::isRoot); // the root span has not arrived
    }
    return List.copyOf(spans);
  }

  private int pick(int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = rnd.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Outcome of a call: its end time and whether it failed. */
  private record Result(long end, boolean error) {}

  private void root(String route, long start) {
    long id = nextSpanId++;
    long t = start + ms(1, 3);
    boolean error = false;
    switch (route) {
      case "GET /cart" -> {
        Result r = call(id, "frontend", "cart", "GetCart", "GET", t);
        t = r.end;
        error = r.error;
      }
      case "POST /checkout" -> {
        t = call(id, "frontend", "cart", "GetCart", "GET", t).end;
        Result r = call(id, "frontend", "checkout", "PlaceOrder", "POST", t + ms(0, 2));
        t = r.end;
        error = r.error;
      }
      case "GET /product/{id}" -> {
        int n = 1 + rnd.nextInt(6);
        for (int k = 0; k < n; k++) {
          Result r = call(id, "frontend", "inventory", "GetProduct", "GET", t);
          t = r.end;
          error |= r.error;
        }
      }
      case "POST /login" -> {
        Result r = call(id, "frontend", "auth", "Login", "POST", t);
        t = r.end;
        error = r.error;
      }
      default -> { }
    }
    if (rnd.nextInt(3) == 0) {
      t = internal(id, "frontend", "render", t);
    }
    long code = error ? (rnd.nextBoolean() ? 500 : 503) : 200;
    Attributes.Builder a = Attributes.builder()
        .put("http.request.method", route.substring(0, route.indexOf(' ')))
        .put("http.route", route.substring(route.indexOf(' ') + 1))
        .put("http.response.status_code", code)
        .put("user.id", "user-" + (1 + rnd.nextInt(20)))
        .put("sampling.ratio", new double[] {0.25, 0.5, 1.0}[rnd.nextInt(3)]);
    spans.add(span(id, 0, "frontend", route, SpanKind.SERVER, start, t + ms(1, 4), error, a)
        .scope(scope("io.opentelemetry.http")).build());
  }

  /** An HTTP call: a client span in the caller, a server span in the callee, its work below. */
  private Result call(long parent, String from, String to, String op, String method, long start) {
    long clientId = nextSpanId++;
    long serverId = nextSpanId++;
    long t = start + ms(0, 2);
    Result work = switch (op) {
      case "GetCart" -> getCart(serverId, t);
      case "PlaceOrder" -> placeOrder(serverId, t);
      case "Charge" -> charge(serverId, t);
      case "GetProduct", "Reserve" -> inventory(serverId, op, t);
      default -> login(serverId, t);
    };
    boolean failed = work.error;
    long code = !failed ? 200 : op.equals("Charge") ? 503 : op.equals("Login") ? 401
        : op.equals("GetProduct") ? 404 : 500;
    Attributes.Builder sa = Attributes.builder().put("http.request.method", method)
        .put("http.route", "/" + op.toLowerCase()).put("http.response.status_code", code);
    if (op.equals("GetProduct") && rnd.nextInt(4) == 0) {
      sa.put("tags", new AttributeValue.ArrayValue(List.of(AttributeValue.of("beta"),
          AttributeValue.of("p" + rnd.nextInt(3)))));
    }
    long serverEnd = work.end + ms(0, 2);
    Span.Builder server = span(serverId, clientId, to, op, SpanKind.SERVER, t, serverEnd,
        failed && !op.equals("GetProduct"), sa);
    if (op.equals("Charge") && failed) {
      server.status(StatusCode.ERROR, "card declined").events(List.of(new SpanEvent(
          serverEnd - MS, "exception", Attributes.builder()
              .put("exception.type", "PaymentDeclined")
              .put("exception.message", "card declined by issuer").build(), 0)));
    } else if (op.equals("Login") && !failed) {
      server.status(StatusCode.OK, "");
    }
    spans.add(server.build());
    Attributes.Builder ca = Attributes.builder().put("peer.service", to)
        .put("http.request.method", method);
    if (rnd.nextInt(3) == 0) {
      ca.put("retry.count", (long) rnd.nextInt(4));
    }
    boolean clientError = failed && rnd.nextInt(5) != 0;
    long end = serverEnd + ms(0, 2);
    spans.add(span(clientId, parent, from, "HTTP " + method, SpanKind.CLIENT, start, end,
        clientError, ca).scope(scope("io.opentelemetry.http")).build());
    return new Result(end, clientError);
  }

  private Result getCart(long parent, long t) {
    boolean hit = rnd.nextInt(3) != 0;
    long end = db(parent, "cart", "redis", "GET", t, hit);
    if (!hit) {
      end = db(parent, "cart", "postgresql", "SELECT", end, null);
    }
    return new Result(end, false);
  }

  private Result placeOrder(long parent, long t) {
    Result charge = call(parent, "checkout", "payment", "Charge", "POST", t);
    long end = charge.end;
    if (!charge.error) {
      end = call(parent, "checkout", "inventory", "Reserve", "POST", end).end;
      long producer = nextSpanId++;
      long sent = end + ms(1, 3);
      spans.add(span(producer, parent, "checkout", "orders publish", SpanKind.PRODUCER, end,
          sent, false, Attributes.builder().put("messaging.system", "kafka")).build());
      long consumed = sent + ms(5, 60);
      spans.add(span(nextSpanId++, producer, "shipping", "orders process", SpanKind.CONSUMER,
          consumed, consumed + ms(5, 40), false,
          Attributes.builder().put("messaging.system", "kafka")).build());
      end = sent;
    }
    return new Result(end + ms(0, 3), charge.error);
  }

  private Result charge(long parent, long t) {
    boolean declined = rnd.nextInt(8) == 0;
    long end = db(parent, "payment", "postgresql", "INSERT", t + ms(20, 200), null);
    if (rnd.nextInt(12) == 0) {
      end += ms(400, 1500); // a slow issuer
    }
    return new Result(end, declined);
  }

  private Result inventory(long parent, String op, long t) {
    long end = db(parent, "inventory", "postgresql", "SELECT", t, null);
    return new Result(end, op.equals("GetProduct") && rnd.nextInt(10) == 0);
  }

  private Result login(long parent, long t) {
    long end = db(parent, "auth", "postgresql", "SELECT", t, null);
    return new Result(end, rnd.nextInt(10) == 0);
  }

  private long db(long parent, String service, String system, String op, long start,
      Boolean cacheHit) {
    long end = start + (rnd.nextInt(20) == 0 ? ms(200, 800) : ms(1, 20));
    Attributes.Builder a = Attributes.builder().put("db.system", system)
        .put("db.operation", op);
    if (cacheHit != null) {
      a.put("cache.hit", cacheHit.booleanValue());
    }
    if (rnd.nextInt(4) == 0) {
      a.put("retry.count", (long) rnd.nextInt(4));
    }
    spans.add(span(nextSpanId++, parent, service, op, SpanKind.CLIENT, start, end, false, a)
        .scope(scope("io.opentelemetry.jdbc")).build());
    return end;
  }

  private long internal(long parent, String service, String name, long start) {
    long end = start + ms(1, 30);
    spans.add(span(nextSpanId++, parent, service, name, SpanKind.INTERNAL, start, end, false,
        Attributes.builder()).build());
    return end;
  }

  private Span.Builder span(long id, long parent, String service, String name, SpanKind kind,
      long start, long end, boolean error, Attributes.Builder attrs) {
    return Span.builder(traceId, id).parentSpanId(parent).name(name).kind(kind)
        .startTimeUnixNano(start).endTimeUnixNano(end)
        .status(error ? StatusCode.ERROR : StatusCode.UNSET, "")
        .attributes(attrs.build()).resource(resource(service));
  }

  private Resource resource(String service) {
    Attributes.Builder a = Attributes.builder();
    if (!(service.equals("inventory") && rnd.nextInt(50) == 0)) {
      a.put(Resource.SERVICE_NAME, service); // rarely, a service that forgot its name
    }
    a.put("service.version", service.equals("cart") && rnd.nextBoolean() ? "2.0.0" : "1.4.2")
        .put("deployment.environment", environment)
        .put("host.name", host);
    return new Resource(a.build(), 0);
  }

  private static InstrumentationScope scope(String name) {
    return new InstrumentationScope(name, "2.10.0", Attributes.EMPTY, 0);
  }

  private long ms(int min, int max) {
    return (min + rnd.nextInt(max - min + 1)) * MS + rnd.nextInt(1_000_000);
  }
}
