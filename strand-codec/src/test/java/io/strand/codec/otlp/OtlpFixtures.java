package io.strand.codec.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;

/**
 * A rich OTLP request used by several tests. {@code otlp/rich-request.json} is the same request
 * written by hand in the OTLP JSON encoding; keep the two in sync.
 */
final class OtlpFixtures {

  static final String TRACE_A = "0102030405060708090a0b0c0d0e0f10";
  static final String TRACE_D = "fedcba9876543210fedcba9876543210";
  static final String LINK_TRACE = "0f0e0d0c0b0a09080706050403020100";
  static final String SPAN_A = "1112131415161718";
  static final String PARENT_A = "2122232425262728";
  static final String SPAN_B = "3132333435363738";
  static final String SPAN_C = "4142434445464748";
  static final String SPAN_D = "5152535455565758";
  static final String LINK_SPAN = "6162636465666768";

  private OtlpFixtures() {}

  /** Two resources; the first with two scopes; every field and every value kind once. */
  static ExportTraceServiceRequest richRequest() {
    Span spanA = Span.newBuilder()
        .setTraceId(id(TRACE_A))
        .setSpanId(id(SPAN_A))
        .setParentSpanId(id(PARENT_A))
        .setTraceState("vendor=a,other=b")
        .setFlags(0x301)
        .setName("GET /cart")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_001L)
        .setEndTimeUnixNano(1_700_000_000_123_456_789L)
        .addAttributes(kv("http.method", str("GET")))
        .addAttributes(kv("http.ok", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("retries", integer(-42)))
        .addAttributes(kv("big", integer(9_007_199_254_740_993L)))
        .addAttributes(kv("ratio", dbl(3.25)))
        .addAttributes(kv("payload", bytes(0x00, 0x01, 0x02, 0xff)))
        .addAttributes(kv("mixed", array(str("a"), integer(7),
            AnyValue.newBuilder().setBoolValue(false).build(), dbl(-0.5), array(str("inner")))))
        .addAttributes(kv("map", kvlist(kv("a", str("x")), kv("b", kvlist(kv("c", integer(1)))))))
        .setDroppedAttributesCount(3)
        .addEvents(Span.Event.newBuilder()
            .setTimeUnixNano(1_700_000_000_000_000_500L)
            .setName("cache miss")
            .addAttributes(kv("key", str("cart:42")))
            .setDroppedAttributesCount(1))
        .addEvents(Span.Event.newBuilder()
            .setTimeUnixNano(1_700_000_000_000_000_900L)
            .setName("retry"))
        .setDroppedEventsCount(4)
        .addLinks(Span.Link.newBuilder()
            .setTraceId(id(LINK_TRACE))
            .setSpanId(id(LINK_SPAN))
            .setTraceState("k=v")
            .addAttributes(kv("link.kind", str("follows")))
            .setDroppedAttributesCount(5)
            .setFlags(1))
        .setDroppedLinksCount(6)
        .setStatus(Status.newBuilder()
            .setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("boom"))
        .build();
    Span spanB = Span.newBuilder()
        .setTraceId(id(TRACE_A))
        .setSpanId(id(SPAN_B))
        .setName("root")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(10)
        .setEndTimeUnixNano(20)
        .build();
    Span spanC = Span.newBuilder()
        .setTraceId(id(TRACE_A))
        .setSpanId(id(SPAN_C))
        .setParentSpanId(id(SPAN_A))
        .setName("SELECT cart")
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(30)
        .setEndTimeUnixNano(40)
        .build();
    Span spanD = Span.newBuilder()
        .setTraceId(id(TRACE_D))
        .setSpanId(id(SPAN_D))
        .setName("charge")
        .setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
        .setStartTimeUnixNano(50)
        .setEndTimeUnixNano(60)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", str("checkout")))
                .addAttributes(kv("host.ip", array(str("10.0.0.1"))))
                .addAttributes(kv("build.id", bytes(0xca, 0xfe)))
                .setDroppedAttributesCount(1))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                    .setName("io.strand.http")
                    .setVersion("1.2.3")
                    .addAttributes(kv("scope.attr", str("x")))
                    .setDroppedAttributesCount(2))
                .addSpans(spanA)
                .addSpans(spanB))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("db"))
                .addSpans(spanC)))
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("payments"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("queue").setVersion("2"))
                .addSpans(spanD)))
        .build();
  }

  /** The bytes of a test resource. */
  static byte[] resource(String name) {
    try (InputStream in = OtlpFixtures.class.getResourceAsStream("/otlp/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue str(String v) {
    return AnyValue.newBuilder().setStringValue(v).build();
  }

  static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  static AnyValue dbl(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  static AnyValue bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(b)).build();
  }

  static AnyValue array(AnyValue... values) {
    ArrayValue.Builder b = ArrayValue.newBuilder();
    for (AnyValue v : values) {
      b.addValues(v);
    }
    return AnyValue.newBuilder().setArrayValue(b).build();
  }

  static AnyValue kvlist(KeyValue... kvs) {
    KeyValueList.Builder b = KeyValueList.newBuilder();
    for (KeyValue kv : kvs) {
      b.addValues(kv);
    }
    return AnyValue.newBuilder().setKvlistValue(b).build();
  }

  /** An attribute value nested {@code levels} deep: arrays around a string leaf. */
  static AnyValue nested(int levels) {
    AnyValue v = str("leaf");
    for (int i = 1; i < levels; i++) {
      v = array(v);
    }
    return v;
  }
}
