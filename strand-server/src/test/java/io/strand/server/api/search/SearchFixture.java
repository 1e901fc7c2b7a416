package io.strand.server.api.search;

import static io.strand.server.api.search.TestSpans.span;
import static io.strand.server.api.search.TestSpans.traceId;

import io.strand.model.Attributes;
import io.strand.model.SpanEvent;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.storage.memory.InMemoryStorage;
import java.util.List;

/**
 * Four traces in an in-memory store, relative to {@link TestSpans#NOW_MILLIS}:
 *
 * <pre>
 * CART     10 min ago  shop "GET /Cart" SERVER 300ms http.method=GET
 *                        └ shop "call auth" CLIENT 100ms peer.service=auth, event "retried"
 *                            └ auth "check" SERVER 50ms ERROR "denied"
 * CHECKOUT  5 min ago  shop "POST /checkout" SERVER 2s http.method=POST ERROR "card declined"
 * OLD      30 h ago    shop "get /cart" SERVER 20ms
 * CHARGE    1 min ago  billing "charge" CONSUMER 5ms tier=gold
 * </pre>
 */
public final class SearchFixture {
  public static final TraceId CART = traceId(0x0c);
  public static final TraceId CHECKOUT = traceId(0x0d);
  public static final TraceId OLD = traceId(0x0e);
  public static final TraceId CHARGE = traceId(0x0f);

  private SearchFixture() {}

  public static InMemoryStorage store() {
    InMemoryStorage store = new InMemoryStorage();
    long cartStart = span(CART, 1, "shop", "x", 10, 0).build().startTimeUnixNano();
    store.write(List.of(
        span(CART, 1, "shop", "GET /Cart", 10, 300)
            .attributes(Attributes.builder().put("http.method", "GET").build()).build(),
        span(CART, 2, "shop", "call auth", 10, 100).parentSpanId(1).kind(SpanKind.CLIENT)
            .attributes(Attributes.builder().put("peer.service", "auth").build())
            .events(List.of(new SpanEvent(cartStart + 5_000_000, "retried", null, 0)))
            .build(),
        span(CART, 3, "auth", "check", 10, 50).parentSpanId(2)
            .status(StatusCode.ERROR, "denied").build(),
        span(CHECKOUT, 4, "shop", "POST /checkout", 5, 2_000)
            .attributes(Attributes.builder().put("http.method", "POST").build())
            .status(StatusCode.ERROR, "card declined").build(),
        span(OLD, 5, "shop", "get /cart", 30 * 60, 20).build(),
        span(CHARGE, 6, "billing", "charge", 1, 5).kind(SpanKind.CONSUMER)
            .attributes(Attributes.builder().put("tier", "gold").build()).build()));
    return store;
  }
}
