package io.strand.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void traceIdRoundTripsThroughHexAndBytes() {
    TraceId id = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
    assertThat(id.toHex()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
    assertThat(id.high()).isEqualTo(0x0af7651916cd43ddL);
  }

  @Test
  void sixtyFourBitTraceIdIsWidenedWithZeroHighBits() {
    TraceId id = TraceId.fromHex("8448eb211c80319c");
    assertThat(id.high()).isZero();
    assertThat(id.toHex()).isEqualTo("00000000000000008448eb211c80319c");
  }

  @Test
  void invalidTraceIdsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> TraceId.fromHex("00000000000000000000000000000000"))
        .hasMessageContaining("all zeros");
    assertThatThrownBy(() -> TraceId.fromHex("abc")).hasMessageContaining("32 hex digits");
    assertThatThrownBy(() -> TraceId.fromHex("0af7651916cd43dd8448eb211c80319z"))
        .hasMessageContaining("non-hex character 'z'");
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[15])).hasMessageContaining("16 bytes");
  }

  @Test
  void spanIdsParseAndRefuseZero() {
    assertThat(SpanId.toHex(SpanId.fromHex("b7ad6b7169203331", "spanId")))
        .isEqualTo("b7ad6b7169203331");
    assertThat(SpanId.fromBytes(SpanId.toBytes(42L), "spanId")).isEqualTo(42L);
    assertThatThrownBy(() -> SpanId.fromHex("0000000000000000", "parentSpanId"))
        .hasMessage("parentSpanId must not be all zeros");
    assertThatThrownBy(() -> SpanId.fromBytes(new byte[4], "spanId"))
        .hasMessage("spanId must be 8 bytes, got 4");
  }

  @Test
  void attributesKeepOrderAndReplaceDuplicateKeys() {
    Attributes a = Attributes.builder().put("a", 1L).put("b", "x").put("a", 2L).build();
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.key(0)).isEqualTo("a");
    assertThat(a.get("a")).isEqualTo(AttributeValue.of(2L));
    assertThat(a.getText("b")).isEqualTo("x");
    assertThat(a.get("missing")).isNull();
  }

  @Test
  void serviceNameFallsBackToUnknownService() {
    assertThat(Resource.EMPTY.serviceName()).isEqualTo("unknown_service");
    assertThat(Resource.ofService("cart").serviceName()).isEqualTo("cart");
  }
}
