package io.strand.storage.rocksdb;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Span values name their resource and scope by an id of the partition's dictionary. */
class ResourceDictionaryTest {

  @TempDir Path dir;

  private static Span span(int trace, int id, Resource resource, InstrumentationScope scope) {
    return Span.builder(new TraceId(5, trace), id)
        .name("op")
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(T0 + id)
        .endTimeUnixNano(T0 + id + 10)
        .resource(resource)
        .scope(scope)
        .build();
  }

  private static Resource resource(String service, int instance) {
    return new Resource(Attributes.builder().put(Resource.SERVICE_NAME, service)
        .put("service.instance.id", service + "-" + instance).build(), instance % 3);
  }

  @Test
  void entriesAreSharedAcrossBatchesAndSurviveAReopen() {
    InstrumentationScope lib = new InstrumentationScope("lib", "1", Attributes.EMPTY, 0);
    List<Span> written = new ArrayList<>();
    try (RocksDbStorage s = RocksDbStorage.open(RocksDbConfig.of(dir))) {
      for (int batch = 0; batch < 5; batch++) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          // Equal resources built anew for each span: found by value across batches.
          spans.add(span(batch, i + 1, resource("svc" + i % 2, i % 4),
              i % 5 == 0 ? InstrumentationScope.EMPTY : lib));
        }
        s.spanWriter().write(spans);
        written.addAll(spans);
      }
      Partition p = s.partitionRegistry().oldestFirst().getFirst();
      // 4 instances (2 services) × 2 scopes.
      assertThat(p.resources.knownIds()).hasSize(8);
      for (int batch = 0; batch < 5; batch++) {
        assertThat(s.traceReader().getTrace(new TraceId(5, batch)))
            .containsExactlyInAnyOrderElementsOf(written.subList(batch * 20, batch * 20 + 20));
      }
    }
    try (RocksDbStorage s = RocksDbStorage.open(RocksDbConfig.of(dir))) {
      for (int batch = 0; batch < 5; batch++) {
        assertThat(s.traceReader().getTrace(new TraceId(5, batch)))
            .containsExactlyInAnyOrderElementsOf(written.subList(batch * 20, batch * 20 + 20));
      }
      // New ids continue after the ones on disk.
      s.spanWriter().write(List.of(span(9, 1, resource("other", 0), InstrumentationScope.EMPTY)));
      Partition p = s.partitionRegistry().oldestFirst().getFirst();
      assertThat(p.resources.knownIds()).containsExactly(8);
      assertThat(s.traceReader().getTrace(new TraceId(5, 9))).hasSize(1);
    }
  }

  @Test
  void beyondTheBoundSpansCarryTheirResourceInline() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < ResourceDictionary.MAX_ENTRIES + 50; i++) {
      spans.add(span(i / 1000, i + 1, resource("svc", i), InstrumentationScope.EMPTY));
    }
    try (RocksDbStorage s = RocksDbStorage.open(RocksDbConfig.of(dir))) {
      s.spanWriter().write(spans);
      for (int t = 0; t <= spans.size() / 1000; t++) {
        int from = t * 1000;
        assertThat(s.traceReader().getTrace(new TraceId(5, t)))
            .containsExactlyInAnyOrderElementsOf(
                spans.subList(from, Math.min(spans.size(), from + 1000)));
      }
    }
  }
}
