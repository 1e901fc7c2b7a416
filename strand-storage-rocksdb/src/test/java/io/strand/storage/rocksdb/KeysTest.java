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
      keys.add(Keys.group(Keys.TIME_PREFIX, s, ID.high(), ID.low(), 3));
    }
    for (int i = 1; i < keys.size(); i++) {
      assertThat(Arrays.compareUnsigned(keys.get(i - 1), keys.get(i))).isNegative();
      assertThat(Keys.indexStart(keys.get(i), 1)).isEqualTo(starts[i]);
    }
  }

  @Test
  void groupKeysCarryTheTraceAndAreToldFromSpanEntriesByLength() {
    byte[] prefix = Keys.named(Keys.SERVICE_TIME, Text.keyBytes("svc"));
    byte[] group = Keys.group(prefix, 77, -1, 5, 3);
    assertThat(Keys.traceIdAt(group, prefix.length + 8)).isEqualTo(new TraceId(-1, 5));
    assertThat(Keys.indexStart(group, prefix.length)).isEqualTo(77);
    assertThat(Keys.isGroup(group, prefix.length)).isTrue();
    assertThat(Keys.isGroup(LegacyLayout.index(prefix, 77, new TraceId(-1, 5), -2,
        SpanKind.CONSUMER), prefix.length)).isFalse();
  }

  @Test
  void groupWindowsBoundTheStartsAGroupHolds() {
    long second = Keys.GROUP_NANOS;
    assertThat(Keys.groupLow(5 * second + 7)).isEqualTo(5 * second);
    assertThat(Keys.groupLow(-1)).isEqualTo(-second);
    assertThat(Keys.groupWindow(-1)).isEqualTo(-1);
    assertThat(Keys.groupLow(Long.MIN_VALUE + 3)).isEqualTo(Long.MIN_VALUE);
    assertThat(Keys.groupCeiling(5 * second)).isEqualTo(6 * second - 1);
    assertThat(Keys.groupCeiling(Long.MAX_VALUE - 3)).isEqualTo(Long.MAX_VALUE);
    byte[] durations = Keys.durations(300, 1L << 40);
    assertThat(Keys.readVarint(durations)).isEqualTo(300);
    assertThat(Keys.maxDuration(durations)).isEqualTo(1L << 40);
  }

  @Test
  void spanEntriesOfEarlierVersionsCarryTheSpanKey() {
    byte[] prefix = Keys.named(Keys.SERVICE_TIME, Text.keyBytes("svc"));
    byte[] key = LegacyLayout.index(prefix, 77, new TraceId(-1, 5), -2, SpanKind.CONSUMER);
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
    byte[] prefix = Keys.named(Keys.OPERATION, service);
    byte[] key = Keys.operation(service, "GET /\u0000x", SpanKind.SERVER);
    assertThat(Keys.startsWith(key, prefix)).isTrue();
    assertThat(Keys.operationOf(key, prefix.length)).isEqualTo("GET /\u0000x");
    assertThat(Keys.operationKindOf(key)).isEqualTo(SpanKind.SERVER);
    assertThat(Keys.lastName(Keys.named(Keys.SERVICE, service), 1)).isEqualTo("web");
  }

  @Test
  void attributeEntriesSortByMillisecondThenTraceByteWithinTheirBounds() {
    byte[] term = Keys.named(Keys.SPAN_ATTRIBUTE, Text.keyBytes("k"), Text.keyBytes("v"));
    long[] starts = {Long.MIN_VALUE, -1_000_001, -1, 0, 999_999, 1_000_000, Long.MAX_VALUE};
    byte[] previous = null;
    for (long start : starts) {
      byte[] low = Keys.startRef(term, start, new TraceId(0x0100_0000_0000_0000L, 1));
      byte[] high = Keys.startRef(term, start, new TraceId(-1, 1));
      assertThat(Arrays.compareUnsigned(low, high)).isNegative();
      // Later buckets sort after every entry of earlier ones (0 and 999,999 ns share one).
      if (previous != null && Keys.refBucket(previous, term.length)
          != Keys.refBucket(low, term.length)) {
        assertThat(Arrays.compareUnsigned(previous, low)).isNegative();
      }
      previous = high;
      // Every entry of the bucket lies in [refBound(start), successor(refBound(start))).
      assertThat(Arrays.compareUnsigned(Keys.refBound(term, start), low)).isNegative();
      assertThat(Arrays.compareUnsigned(high, Keys.successor(Keys.refBound(term, start))))
          .isNegative();
      long bucket = Keys.refBucket(low, term.length);
      assertThat(start).isBetween(Keys.bucketLow(bucket), Keys.bucketHigh(bucket));
      assertThat(Keys.refTraceIdByte(low, term.length)).isEqualTo(1);
      assertThat(Keys.refTraceIdByte(high, term.length)).isEqualTo(255);
    }
    assertThat(Keys.bucketLow(Keys.refBucket(Keys.startRef(term, -1, ID), term.length)))
        .isEqualTo(-1_000_000);
  }

  @Test
  void postingsOfATermSortByNewestBucketThenWindowAndStayWithinTheirTerm() {
    byte[] term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "v").bytes();
    // A longer value starting the same: its postings must not fall within term's bounds.
    byte[] longer = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "vv").bytes();
    long[] buckets = {Long.MIN_VALUE / 1_000_000, -1, 0, 1, 1_767_225_600_000L,
        Long.MAX_VALUE / 1_000_000};
    List<byte[]> keys = new ArrayList<>();
    for (long bucket : buckets) {
      for (long window : new long[] {0, 1, Long.MAX_VALUE}) {
        keys.add(Keys.posting(term, bucket, window));
      }
    }
    byte[] prefix = Keys.postingPrefix(term);
    for (int i = 0; i < keys.size(); i++) {
      byte[] key = keys.get(i);
      assertThat(Keys.startsWith(key, prefix)).isTrue();
      assertThat(Keys.postingMaxBucket(key, prefix.length)).isEqualTo(buckets[i / 3]);
      if (i > 0) {
        assertThat(Arrays.compareUnsigned(keys.get(i - 1), key)).isNegative();
      }
      // A posting is within the bounds of a search from a start its newest bucket reaches.
      long start = buckets[i / 3] * 1_000_000;
      assertThat(Arrays.compareUnsigned(Keys.postingBound(prefix, Postings.bucket(start)), key))
          .isNotPositive();
      assertThat(Arrays.compareUnsigned(key, Keys.successor(prefix))).isNegative();
    }
    for (long bucket : buckets) {
      byte[] other = Keys.posting(longer, bucket, 0);
      assertThat(Keys.startsWith(other, prefix)).isFalse();
    }
    assertThat(Keys.pending(5)).hasSize(10).startsWith(Keys.legacyPending(5))
        .endsWith(Keys.GROUPED_PENDING);
    assertThat(Keys.legacyPending(5)).hasSize(9).startsWith(Keys.PENDING);
    assertThat(Arrays.compareUnsigned(Keys.pending(5), Keys.pending(256))).isNegative();
    assertThat(Keys.resource(0x01020304)).containsExactly(Keys.RESOURCE, 1, 2, 3, 4);
  }

  @Test
  void timeCeilingIsAboveEveryTimeIndexKeyAtItsStartAndBelowTheNext() {
    byte[] top = LegacyLayout.index(Keys.TIME_PREFIX, 5, new TraceId(-1, -1), -1,
        SpanKind.CONSUMER);
    byte[] next = Keys.group(Keys.TIME_PREFIX, 6, 0, 1, 0);
    assertThat(Arrays.compareUnsigned(top, Keys.timeCeiling(5))).isNotPositive();
    assertThat(Arrays.compareUnsigned(Keys.group(Keys.TIME_PREFIX, 5, -1, -1, -1),
        Keys.timeCeiling(5))).isNotPositive();
    assertThat(Arrays.compareUnsigned(Keys.timeCeiling(5), next)).isNegative();
  }

  @Test
  void varintsRoundTrip() {
    for (long v : new long[] {0, 1, 127, 128, 300, 1L << 40, Long.MAX_VALUE}) {
      assertThat(Keys.readVarint(Keys.varint(v))).isEqualTo(v);
    }
  }
}
