package io.strand.query;

import static io.strand.storage.TestSpans.T0;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.util.List;

/**
 * A small hand-built trace with a known shape, for evaluator tests. Span ids are 1..8; span
 * {@code i} starts at T0 + i ms.
 *
 * <pre>
 * 1 frontend  GET /cart      server  (http GET, status_code 200)
 * ├─ 2 frontend  call cart    client
 * │  └─ 3 cart     GetCart     server  (cache.hit true, link to another trace)
 * │     └─ 4 cart     SELECT      client  (db.system postgresql, tags [a, b])
 * └─ 5 frontend  call checkout client  (span attr deployment.environment canary)
 *    └─ 6 checkout PlaceOrder  server  ERROR
 *       ├─ 7 payment  Charge      server  ERROR "card declined" (status_code 503, retry 2,
 *       │                                  ratio 0.5, wait_ns 2ms, exception event)
 *       └─ 8 checkout audit       internal
 * </pre>
 */
final class ShopTrace {

  static final TraceId ID = new TraceId(0xabcL, 0x1234L);
  static final long MS = 1_000_000L;

  private ShopTrace() {}

  static Resource resource(String service) {
    return new Resource(Attributes.builder()
        .put(Resource.SERVICE_NAME, service)
        .put("deployment.environment", "production")
        .build(), 0);
  }

  /** A span with id, parent, service and name; starts at T0 + id ms and lasts 10 ms. */
  static Span.Builder span(long id, long parent, String service, String name) {
    return Span.builder(ID, id)
        .parentSpanId(parent)
        .name(name)
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(T0 + id * MS)
        .endTimeUnixNano(T0 + id * MS + 10 * MS)
        .resource(resource(service));
  }

  static List<Span> spans() {
    return List.of(
        span(1, 0, "frontend", "GET /cart").endTimeUnixNano(T0 + 101 * MS)
            .attributes(Attributes.builder().put("http.request.method", "GET")
                .put("http.response.status_code", 200L).build())
            .scope(new InstrumentationScope("io.otel.http", "1.2",
                Attributes.builder().put("lang", "java").build(), 0))
            .build(),
        span(2, 1, "frontend", "call cart").kind(SpanKind.CLIENT).build(),
        span(3, 2, "cart", "GetCart").endTimeUnixNano(T0 + 33 * MS)
            .attributes(Attributes.builder().put("cache.hit", true).build())
            .links(List.of(new SpanLink(new TraceId(7, 8), 9L, "",
                Attributes.builder().put("link.kind", "follows").build(), 0, 0)))
            .build(),
        span(4, 3, "cart", "SELECT").kind(SpanKind.CLIENT)
            .attributes(Attributes.builder().put("db.system", "postgresql")
                .put("tags", new AttributeValue.ArrayValue(
                    List.of(AttributeValue.of("a"), AttributeValue.of("b"))))
                .build())
            .build(),
        span(5, 1, "frontend", "call checkout").kind(SpanKind.CLIENT).endTimeUnixNano(T0 + 95 * MS)
            .attributes(Attributes.builder().put("deployment.environment", "canary").build())
            .build(),
        span(6, 5, "checkout", "PlaceOrder").endTimeUnixNano(T0 + 90 * MS)
            .status(StatusCode.ERROR, "").build(),
        span(7, 6, "payment", "Charge").endTimeUnixNano(T0 + 57 * MS)
            .status(StatusCode.ERROR, "card declined")
            .attributes(Attributes.builder().put("http.response.status_code", 503L)
                .put("retry", 2L).put("ratio", 0.5).put("wait_ns", 2 * MS).build())
            .events(List.of(new SpanEvent(T0 + 12 * MS, "exception",
                Attributes.builder().put("exception.message", "card declined").build(), 0)))
            .build(),
        span(8, 6, "checkout", "audit").kind(SpanKind.INTERNAL).endTimeUnixNano(T0 + 9 * MS)
            .build());
  }
}
