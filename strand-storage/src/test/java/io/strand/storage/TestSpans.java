package io.strand.storage;

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
import java.util.Map;

/** Spans for storage tests, with every field and attribute kind populated. */
public final class TestSpans {

  /** A fixed base time (2026-01-01T00:00:00Z) in nanoseconds. */
  public static final long T0 = 1_767_225_600_000_000_000L;

  private TestSpans() {}

  /** A resource for a service, with a few typed attributes. */
  public static Resource resource(String service) {
    return new Resource(
        Attributes.builder()
            .put(Resource.SERVICE_NAME, service)
            .put("service.version", "1.2.3")
            .put("host.cpu.count", 8L)
            .build(),
        1);
  }

  /** Every attribute kind, nested kinds included. */
  public static Attributes everyKind() {
    return Attributes.builder()
        .put("http.request.method", "GET")
        .put("http.response.status_code", 200L)
        .put("sampling.ratio", 0.25)
        .put("cache.hit", true)
        .put("payload", new AttributeValue.BytesValue(new byte[] {0, 1, (byte) 0xff}))
        .put("tags", new AttributeValue.ArrayValue(List.of(
            AttributeValue.of("a"), AttributeValue.of(2L), AttributeValue.of(false))))
        .put("nested", new AttributeValue.KeyValueListValue(Attributes.builder()
            .put("inner", "v")
            .put("deeper", new AttributeValue.KeyValueListValue(
                Attributes.builder().put("x", 1.5).build()))
            .build()))
        .build();
  }

  /** A fully populated span. */
  public static Span rich(TraceId traceId, long spanId, long parentId, String service,
      String name, long startNanos, long durationNanos) {
    return Span.builder(traceId, spanId)
        .parentSpanId(parentId)
        .traceState("vendor=abc")
        .flags(1)
        .name(name)
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(startNanos)
        .endTimeUnixNano(startNanos + durationNanos)
        .status(StatusCode.ERROR, "boom")
        .attributes(everyKind())
        .droppedAttributesCount(2)
        .events(List.of(new SpanEvent(startNanos + 5, "cache miss",
            Attributes.ofStrings(Map.of("key", "user:1")), 1)))
        .droppedEventsCount(3)
        .links(List.of(new SpanLink(new TraceId(7, 8), 9L, "k=v",
            Attributes.ofStrings(Map.of("link.kind", "follows")), 0, 1)))
        .droppedLinksCount(4)
        .resource(resource(service))
        .scope(new InstrumentationScope("io.strand.test", "0.9",
            Attributes.ofStrings(Map.of("scope.attr", "s")), 0))
        .build();
  }

  /** A small span with the given shape and string attributes. */
  public static Span simple(TraceId traceId, long spanId, long parentId, String service,
      String name, SpanKind kind, long startNanos, long durationNanos, Map<String, String> attrs) {
    return Span.builder(traceId, spanId)
        .parentSpanId(parentId)
        .name(name)
        .kind(kind)
        .startTimeUnixNano(startNanos)
        .endTimeUnixNano(startNanos + durationNanos)
        .attributes(Attributes.ofStrings(attrs))
        .resource(Resource.ofService(service))
        .build();
  }
}
