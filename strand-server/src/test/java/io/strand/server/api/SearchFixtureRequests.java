package io.strand.server.api;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The traces {@link SearchApiIT} stores, relative to the moment it starts, as OTLP protobuf plus
 * one Zipkin JSON span:
 *
 * <pre>
 * CART     10 min ago  shop "GET /Cart" SERVER 300ms http.method=GET http.status_code=200 ...
 *                        └ shop "call auth" CLIENT 100ms peer.service=auth, event "retried"
 *                            └ auth "check" SERVER 50ms ERROR "denied"
 * CHECKOUT  5 min ago  shop "POST /checkout" SERVER 2s http.method=POST ERROR "card declined",
 *                      linked to CART's root
 * OLD      30 h ago    shop "get /cart" SERVER 20ms
 * LEGACY    2 min ago  legacy "get /legacy" SERVER 30ms via Zipkin: error tag "timeout",
 *                      remote service "db", annotation "cache.miss"
 * CHARGE    1 min ago  billing "charge" CONSUMER 5ms tier=gold
 * </pre>
 */
final class SearchFixtureRequests {
  static final String CART = "5b8efff798038103d269b633813fc60c";
  static final String CHECKOUT = "5b8efff798038103d269b633813fc60d";
  static final String OLD = "5b8efff798038103d269b633813fc60e";
  static final String LEGACY = "5b8efff798038103d269b633813fc60f";
  static final String CHARGE = "5b8efff798038103d269b633813fc610";
  static final String CART_ROOT = "00000000000000a1";
  static final String CART_CLIENT = "00000000000000a2";

  private final long nowNanos;

  SearchFixtureRequests(long nowMillis) {
    this.nowNanos = nowMillis * 1_000_000L;
  }

  /** The OTLP part: one request with the shop, auth and billing resources. */
  ExportTraceServiceRequest otlp() {
    long cart = ago(10);
    Span root = span(CART, CART_ROOT, null, "GET /Cart", Span.SpanKind.SPAN_KIND_SERVER, cart, 300)
        .setFlags(1)
        .addAttributes(attr("http.method", str("GET")))
        .addAttributes(attr("http.status_code", AnyValue.newBuilder().setIntValue(200).build()))
        .addAttributes(attr("cache.hit", AnyValue.newBuilder().setBoolValue(false).build()))
        .addAttributes(attr("ratio", AnyValue.newBuilder().setDoubleValue(0.25).build()))
        .addAttributes(attr("payload", AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff})).build()))
        .build();
    Span client = span(CART, CART_CLIENT, CART_ROOT, "call auth",
        Span.SpanKind.SPAN_KIND_CLIENT, cart + 1_000_000, 100)
        .addAttributes(attr("peer.service", str("auth")))
        .addEvents(Span.Event.newBuilder().setName("retried").setTimeUnixNano(cart + 5_000_000)
            .addAttributes(attr("attempt", AnyValue.newBuilder().setIntValue(2).build())))
        .build();
    Span check = span(CART, "00000000000000a3", CART_CLIENT, "check",
        Span.SpanKind.SPAN_KIND_SERVER, cart + 2_000_000, 50)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("denied"))
        .build();
    Span checkout = span(CHECKOUT, "00000000000000b1", null, "POST /checkout",
        Span.SpanKind.SPAN_KIND_SERVER, ago(5), 2_000)
        .addAttributes(attr("http.method", str("POST")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("card declined"))
        .addLinks(Span.Link.newBuilder().setTraceId(bytes(CART)).setSpanId(bytes(CART_ROOT)))
        .build();
    Span old = span(OLD, "00000000000000c1", null, "get /cart", Span.SpanKind.SPAN_KIND_SERVER,
        ago(30 * 60), 20).build();
    Span charge = span(CHARGE, "00000000000000d1", null, "charge",
        Span.SpanKind.SPAN_KIND_CONSUMER, ago(1), 5)
        .addAttributes(attr("tier", str("gold"))).build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans(Resource.newBuilder()
            .addAttributes(attr("service.name", str("shop")))
            .addAttributes(attr("host.name", str("shop-1")))
            .addAttributes(attr("process.pid", AnyValue.newBuilder().setIntValue(42).build()))
            .build(), root, client, checkout, old))
        .addResourceSpans(resourceSpans(Resource.newBuilder()
            .addAttributes(attr("service.name", str("auth"))).build(), check))
        .addResourceSpans(resourceSpans(Resource.newBuilder()
            .addAttributes(attr("service.name", str("billing"))).build(), charge))
        .build();
  }

  /** The Zipkin part: one span as Brave would report it. */
  byte[] zipkinJson() {
    long start = ago(2) / 1_000;
    return ("[{\"traceId\":\"" + LEGACY + "\",\"id\":\"00000000000000e1\",\"kind\":\"SERVER\","
        + "\"name\":\"get /legacy\",\"timestamp\":" + start + ",\"duration\":30000,"
        + "\"localEndpoint\":{\"serviceName\":\"legacy\"},"
        + "\"remoteEndpoint\":{\"serviceName\":\"db\"},"
        + "\"annotations\":[{\"timestamp\":" + (start + 10) + ",\"value\":\"cache.miss\"}],"
        + "\"tags\":{\"error\":\"timeout\",\"http.path\":\"/legacy\"}}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  long ago(long minutes) {
    return nowNanos - minutes * 60_000_000_000L;
  }

  private static Span.Builder span(String traceId, String spanId, String parentId, String name,
      Span.SpanKind kind, long startNanos, long millis) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(bytes(traceId))
        .setSpanId(bytes(spanId))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(startNanos + millis * 1_000_000L);
    if (parentId != null) {
      b.setParentSpanId(bytes(parentId));
    }
    return b;
  }

  private static ResourceSpans resourceSpans(Resource resource, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http")
                .setVersion("2.10.0"))
            .addAllSpans(List.of(spans)))
        .build();
  }

  private static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }
}
