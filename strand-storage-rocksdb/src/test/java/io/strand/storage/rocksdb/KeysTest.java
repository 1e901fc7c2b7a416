package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysTest {

  private static final TraceId ID = new TraceId(1, 2);

  @Test
  void indexKeysSortByStartIncludingNegativeTimes() {
    long[] starts = {Long.MIN_VALUE, -5, -1, 0, 1, 1_767_225_600_000_000_000L, Long.MAX_VALUE};
    List<byte[]> keys = new ArrayList<>();
    for (long s : starts) {
      keys.add(Keys.index(Keys.TIME_PREFIX, s, ID, 9, SpanKind.SERVER));
    }
    for (int i = 1; i < keys.size(); i++) {
      assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).isNegative();
      assertThat(Keys.indexStart(keys.get(i), 1)).isEqualTo(starts[i]);
    }
  }

  @Test
  void indexKeysCarryTheSpanKey() {
    byte[] prefix = Keys.serviceTimePrefix(Text.keyBytes("svc"));
    byte[] key = Keys.index(prefix, 77, new TraceId(-1, 5), -2, SpanKind.CONSUMER);
    int at = prefix.length + 8;
    assertThat(Keys.traceIdAt(key, at)).isEqualTo(new TraceId(-1, 5));
    assertThat(Keys.spanIdAt(key, at)).isEqualTo(-2);
    assertThat(Keys.kindAt(key, at)).isEqualTo(SpanKind.CONSUMER);
    assertThat(Keys.spanFromIndex(key, at))
        .isEqualTo(Keys.span(new TraceId(-1, 5), -2, SpanKind.CONSUMER));
  }

  @Test
  void spanKeysStartWithTheTracePrefix() {
    byte[] key = Keys.span(ID, 3, SpanKind.CLIENT);
    assertThat(key).hasSize(26);
    assertThat(Keys.startsWith(key, Keys.tracePrefix(ID))).isTrue();
    assertThat(Keys.startsWith(key, Keys.tracePrefix(new TraceId(1, 3)))).isFalse();
  }

  @Test
  void successorBoundsEveryKeyWithThePrefix() {
    byte[] prefix = {3, 'a', 0};
    byte[] next = Keys.successor(prefix);
    assertThat(next).containsExactly(3, 'a', 1);
    assertThat(Keys.successor(new byte[] {5, (byte) 0xFF, (byte) 0xFF})).containsExactly(6);
    assertThat(Keys.successor(new byte[] {(byte) 0xFF})).isNull();
  }

  @Test
  void operationKeysParseBack() {
    byte[] service = Text.keyBytes("web");
    byte[] prefix = Keys.operationPrefix(service);
    byte[] key = Keys.operation(service, "GET /\u0000x", SpanKind.SERVER);
    assertThat(Keys.startsWith(key, prefix)).isTrue();
    assertThat(Keys.operationOf(key, prefix.length)).isEqualTo("GET /\u0000x");
    assertThat(Keys.operationKindOf(key)).isEqualTo(SpanKind.SERVER);
    assertThat(Keys.serviceOf(Keys.service(service))).isEqualTo("web");
  }

  @Test
  void varintsRoundTrip() {
    for (long v : new long[] {0, 1, 127, 128, 300, 1L << 40, Long.MAX_VALUE}) {
      assertThat(Keys.readVarint(Keys.varint(v))).isEqualTo(v);
    }
  }
}
