package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.strand.storage.TestSpans;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

  private static final TraceId ID = new TraceId(0xABCDEFL, 0x123456789L);

  private static Span roundTrip(Span s) {
    byte[] value = new SpanCodec().encode(s);
    return SpanCodec.decode(s.traceId(), s.spanId(), s.kind(), value);
  }

  @Test
  void richSpanRoundTrips() {
    Span s = TestSpans.rich(ID, 42, 7, "checkout", "charge", T0, 12_345_678);
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void everyKindRoundTrips() {
    for (SpanKind kind : SpanKind.values()) {
      Span s = TestSpans.rich(ID, 1, 0, "svc", "op", T0, 1).toBuilder().kind(kind).build();
      assertThat(roundTrip(s)).isEqualTo(s);
    }
  }

  @Test
  void emptySpanRoundTripsAndIsSmall() {
    Span s = Span.builder(ID, 1).build();
    byte[] value = new SpanCodec().encode(s);
    assertThat(SpanCodec.decode(ID, 1, SpanKind.UNSPECIFIED, value)).isEqualTo(s);
    // version, presence, status, start(8), duration, name length, 0 attributes, resource
    assertThat(value.length).isLessThanOrEqualTo(16);
    assertThat(value[0]).isEqualTo(SpanCodec.VERSION);
  }

  @Test
  void extremeNumbersRoundTrip() {
    Span s = Span.builder(ID, -1L)
        .parentSpanId(Long.MIN_VALUE)
        .flags(-1)
        .startTimeUnixNano(Long.MAX_VALUE)
        .endTimeUnixNano(Long.MIN_VALUE) // end before start: kept as is
        .status(StatusCode.OK, "")
        .attributes(Attributes.builder()
            .put("min", Long.MIN_VALUE)
            .put("max", Long.MAX_VALUE)
            .put("nan", Double.NaN)
            .put("negzero", -0.0)
            .put("inf", Double.NEGATIVE_INFINITY)
            .put("empty", "")
            .put("nobytes", new AttributeValue.BytesValue(new byte[0]))
            .put("noarray", new AttributeValue.ArrayValue(List.of()))
            .put("nolist", new AttributeValue.KeyValueListValue(Attributes.EMPTY))
            .build())
        .droppedAttributesCount(Integer.MIN_VALUE)
        .droppedEventsCount(-1)
        .droppedLinksCount(Integer.MAX_VALUE)
        .events(List.of(new SpanEvent(Long.MIN_VALUE, "", null, -5)))
        .links(List.of(new SpanLink(new TraceId(-1, -1), 0, null, null, 0, Integer.MIN_VALUE)))
        .resource(new Resource(Attributes.EMPTY, -3))
        .scope(new InstrumentationScope("", "", Attributes.EMPTY, 1))
        .build();
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void longAndUnicodeStringsRoundTrip() {
    String lone = "x\uD800y\uDC00z\uDBFF"; // lone surrogates: not Unicode, but legal Java
    String mixed = "caf\u00e9 \u65e5\u672c\u8a9e \uD83D\uDE80\uD83D\uDC4D nul\u0000end \u07ff\u0800\uffff";
    String longText = "\u00e9ab\uD83D\uDE00".repeat(50_000);
    Span s = Span.builder(ID, 3)
        .name(mixed)
        .traceState(lone)
        .status(StatusCode.ERROR, longText)
        .attributes(Attributes.builder()
            .put(mixed, lone)
            .put("long", longText)
            .put(lone, mixed)
            .build())
        .resource(Resource.ofService("\u670d\u52a1\uD83D\uDE80"))
        .build();
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void deepNestingRoundTrips() {
    AttributeValue v = AttributeValue.of("leaf");
    for (int depth = 0; depth < 300; depth++) {
      v = depth % 2 == 0
          ? new AttributeValue.ArrayValue(List.of(v, AttributeValue.of(depth)))
          : new AttributeValue.KeyValueListValue(
              Attributes.builder().put("d" + depth, v).put("b", true).build());
    }
    Span s = Span.builder(ID, 4).attributes(Attributes.builder().put("deep", v).build()).build();
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void absurdNestingIsRefusedWhenEncoding() {
    AttributeValue v = AttributeValue.of(1L);
    for (int depth = 0; depth <= SpanCodec.MAX_DEPTH + 1; depth++) {
      v = new AttributeValue.ArrayValue(List.of(v));
    }
    Span s = Span.builder(ID, 4).attributes(Attributes.builder().put("deep", v).build()).build();
    assertThatThrownBy(() -> new SpanCodec().encode(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deeper");
  }

  @Test
  void oneCodecEncodesManySpans() {
    SpanCodec codec = new SpanCodec();
    Span big = TestSpans.rich(ID, 1, 0, "svc", "x".repeat(10_000), T0, 5);
    Span small = TestSpans.simple(ID, 2, 1, "svc", "op", SpanKind.CLIENT, T0, 5, Map.of());
    byte[] first = codec.encode(big);
    byte[] second = codec.encode(small);
    assertThat(SpanCodec.decode(ID, 1, SpanKind.SERVER, first)).isEqualTo(big);
    assertThat(SpanCodec.decode(ID, 2, SpanKind.CLIENT, second)).isEqualTo(small);
    assertThat(codec.encode(small)).isEqualTo(second);
  }

  @Test
  void corruptValuesFailWithIllegalArgument() {
    byte[] value = new SpanCodec().encode(TestSpans.rich(ID, 1, 0, "svc", "op", T0, 5));
    for (int len = 0; len < value.length; len++) {
      byte[] truncated = Arrays.copyOf(value, len);
      assertThatThrownBy(() -> SpanCodec.decode(ID, 1, SpanKind.SERVER, truncated))
          .as("truncated to %d bytes", len)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] longer = Arrays.copyOf(value, value.length + 1);
    assertThatThrownBy(() -> SpanCodec.decode(ID, 1, SpanKind.SERVER, longer))
        .hasMessageContaining("trailing");
    byte[] future = value.clone();
    future[0] = 3;
    assertThatThrownBy(() -> SpanCodec.decode(ID, 1, SpanKind.SERVER, future))
        .hasMessageContaining("version 3");
  }

  @Test
  void version2NamesTheResourceAndScopeByDictionaryId() {
    Span s = TestSpans.rich(ID, 42, 7, "checkout", "charge", T0, 12_345_678).toBuilder()
        .scope(new InstrumentationScope("lib", "1.0", Attributes.ofStrings(Map.of("a", "b")), 3))
        .build();
    SpanCodec codec = new SpanCodec();
    byte[] entry = codec.encodeResource(s.resource(), s.scope());
    byte[] value = codec.encode(s, 300);
    assertThat(value[0]).isEqualTo(SpanCodec.VERSION_2);
    assertThat(value.length).isLessThan(codec.encode(s).length);
    SpanCodec.ResourceScope rs = SpanCodec.decodeResource(entry);
    assertThat(rs).isEqualTo(new SpanCodec.ResourceScope(s.resource(), s.scope()));
    assertThat(SpanCodec.decode(ID, 42, s.kind(), value, id -> {
      assertThat(id).isEqualTo(300);
      return rs;
    })).isEqualTo(s);
    // Version 1 decodes without a dictionary, version 2 fails cleanly without one.
    assertThat(SpanCodec.decode(ID, 42, s.kind(), codec.encode(s), id -> {
      throw new AssertionError();
    })).isEqualTo(s);
    assertThatThrownBy(() -> SpanCodec.decode(ID, 42, s.kind(), value))
        .isInstanceOf(IllegalArgumentException.class);
    for (int len = 0; len < value.length; len++) {
      byte[] truncated = Arrays.copyOf(value, len);
      assertThatThrownBy(() -> SpanCodec.decode(ID, 42, s.kind(), truncated, id -> rs))
          .as("truncated to %d bytes", len)
          .isInstanceOf(IllegalArgumentException.class);
    }
    for (int len = 0; len < entry.length; len++) {
      byte[] truncated = Arrays.copyOf(entry, len);
      assertThatThrownBy(() -> SpanCodec.decodeResource(truncated))
          .as("entry truncated to %d bytes", len)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void keyNamesHaveNoZeroBytesAndRoundTrip() {
    for (String name : List.of("", "plain", "nul\u0000inside", "\u0000", "\u00e9\u65e5\uD83D\uDE80",
        "lone\uD800")) {
      byte[] key = Text.keyBytes(name);
      for (byte b : key) {
        assertThat(b).as(name).isNotZero();
      }
      assertThat(Text.decode(key, 0, key.length)).isEqualTo(name);
    }
  }

  @Test
  void wellFormedTextIsStandardUtf8() {
    String s = "caf\u00e9 \u65e5\u672c \uD83D\uDE80";
    byte[] out = new byte[Text.encodedLength(s, false)];
    Text.encode(s, out, 0, false);
    assertThat(out).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
