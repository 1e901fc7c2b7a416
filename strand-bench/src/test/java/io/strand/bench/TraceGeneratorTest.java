package io.strand.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.StatusCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

  @Test
  void sameSeedGivesTheSameTraces() {
    assertThat(new TraceGenerator(7, 0).spans(2000)).isEqualTo(new TraceGenerator(7, 0).spans(2000));
  }

  @Test
  void tracesHaveTheAdvertisedShape() {
    TraceGenerator g = new TraceGenerator(1, 1_700_000_000_000_000_000L);
    List<Span> all = new java.util.ArrayList<>();
    for (int t = 0; t < 500; t++) {
      List<Span> trace = g.nextTrace();
      assertThat(trace.size()).isBetween(5, 60);
      assertThat(trace.get(0).isRoot()).isTrue();
      Set<Long> ids = trace.stream().map(Span::spanId).collect(Collectors.toSet());
      assertThat(trace.subList(1, trace.size()))
          .allSatisfy(s -> assertThat(ids).contains(s.parentSpanId()));
      all.addAll(trace);
    }
    assertThat(all).allSatisfy(s -> assertThat(s.attributes().size()).isBetween(10, 20));
    assertThat(all.stream().map(Span::serviceName).distinct()).hasSize(8);
    Set<String> ops = new HashSet<>();
    all.forEach(s -> ops.add(s.serviceName() + "/" + s.name()));
    assertThat(ops.size()).isGreaterThan(60);
    double errors = all.stream().filter(s -> s.statusCode() == StatusCode.ERROR).count()
        / (double) all.size();
    assertThat(errors).isBetween(0.01, 0.03);
  }
}
