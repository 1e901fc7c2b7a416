package io.strand.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.codec.zipkin.ZipkinDecoder;
import io.strand.model.Span;
import io.strand.model.TraceId;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchPoolTest {
  private static final int BATCHES = 6;
  private static final int SPANS = 100;

  private final BatchPool pool = BatchPool.generate(BATCHES, SPANS, 3,
      EnumSet.of(WireFormat.OTLP_PROTO, WireFormat.ZIPKIN_JSON));

  private static List<Span> decode(WireFormat format, byte[] body) {
    return format == WireFormat.OTLP_PROTO ? new OtlpProtoDecoder().decode(body).spans()
        : new ZipkinDecoder().decodeJson(body).spans();
  }

  @Test
  void everyRoundSendsNewTracesWithTheirWholeTracesListed() throws Exception {
    for (WireFormat format : WireFormat.values()) {
      Set<TraceId> seen = new HashSet<>();
      int whole = 0;
      try (BatchSource source = pool.rotating(format)) {
        for (int i = 0; i < 3 * BATCHES; i++) {
          Batch b = source.next();
          List<Span> spans = decode(format, b.body());
          assertThat(spans).hasSize(SPANS);
          Map<TraceId, Long> counts = spans.stream()
              .collect(Collectors.groupingBy(Span::traceId, Collectors.counting()));
          whole += b.wholeTraces().length;
          for (int t = 0; t < b.wholeTraces().length; t++) {
            assertThat(counts.get(b.wholeTraces()[t]))
                .isEqualTo((long) b.wholeTraceSpans()[t]);
          }
          Set<TraceId> ids = counts.keySet();
          // Traces straddling two batches of one round appear in both; never across rounds.
          if (i % BATCHES == 0 && !seen.isEmpty()) {
            assertThat(ids).doesNotContainAnyElementsOf(seen);
          }
          seen.addAll(ids);
        }
      }
      assertThat(whole).isGreaterThan(3 * BATCHES);
    }
  }

  @Test
  void onceSendsEachBatchOnceAsGenerated() throws Exception {
    try (BatchSource source = pool.once(WireFormat.OTLP_PROTO)) {
      int n = 0;
      while (source.next() != null) {
        n++;
      }
      assertThat(n).isEqualTo(BATCHES);
      assertThat(source.spansProduced()).isEqualTo(BATCHES * SPANS);
    }
  }

  @Test
  void laterRoundsCarryLaterTimes() throws Exception {
    try (BatchSource source = pool.rotating(WireFormat.OTLP_PROTO)) {
      long first = decode(WireFormat.OTLP_PROTO, source.next().body()).get(0).startTimeUnixNano();
      Thread.sleep(5);
      for (int i = 1; i < BATCHES; i++) {
        source.next();
      }
      long later = decode(WireFormat.OTLP_PROTO, source.next().body()).get(0).startTimeUnixNano();
      assertThat(later).isGreaterThan(first);
    }
  }
}
