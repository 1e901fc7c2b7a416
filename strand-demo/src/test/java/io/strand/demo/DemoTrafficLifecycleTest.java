package io.strand.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DemoTrafficLifecycleTest {
  private final Map<String, RecordingExporter> exporters = new ConcurrentHashMap<>();

  private DemoTraffic traffic(DemoTraffic.Builder builder) {
    return new DemoTraffic(
        builder, name -> exporters.computeIfAbsent(name, n -> new RecordingExporter()));
  }

  private long exportedRoots() {
    return exporters.values().stream()
        .flatMap(e -> e.spans.stream())
        .filter(s -> !s.getParentSpanContext().isValid())
        .count();
  }

  @Test
  void closeFlushesPendingSpansAndShutsDownEverySdk() {
    DemoTraffic traffic = traffic(DemoTraffic.builder().seed(3));
    for (int i = 0; i < 20; i++) {
      traffic.runOnce();
    }
    traffic.close();

    assertThat(exporters).hasSize(7);
    assertThat(exportedRoots()).isEqualTo(20);
    assertThat(exporters.values()).allSatisfy(e -> assertThat(e.shutdowns).hasValue(1));
    assertThatThrownBy(traffic::runOnce).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(traffic::start).isInstanceOf(IllegalStateException.class);
    traffic.close(); // idempotent
    assertThat(exporters.values()).allSatisfy(e -> assertThat(e.shutdowns).hasValue(1));
  }

  @Test
  void startGeneratesTrafficAtTheConfiguredRateOnADaemonThread() throws InterruptedException {
    long generated;
    DemoTraffic traffic = traffic(DemoTraffic.builder().seed(5).requestsPerSecond(100));
    try {
      traffic.start();
      assertThatThrownBy(traffic::start).isInstanceOf(IllegalStateException.class);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (traffic.requestsGenerated() < 20 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().equals("strand-demo-traffic"))
          .singleElement()
          .satisfies(t -> assertThat(t.isDaemon()).isTrue());
      traffic.close();
      generated = traffic.requestsGenerated();
    } finally {
      traffic.close();
    }
    assertThat(generated).isGreaterThanOrEqualTo(20);
    // Every request that was generated before close() was exported by it.
    assertThat(exportedRoots()).isEqualTo(generated);
  }

  @Test
  void runOnceExportsOneTraceWithTheBatchProcessor() {
    try (DemoTraffic traffic = traffic(DemoTraffic.builder().seed(11))) {
      traffic.runOnce();
      assertThat(traffic.forceFlush()).isTrue();
      assertThat(exporters.values().stream().flatMap(e -> e.spans.stream())
          .map(SpanData::getTraceId).distinct()).hasSize(1);
    }
  }

  @Test
  void builderDefaultsAndValidation() {
    DemoTraffic.Builder builder = DemoTraffic.builder();
    assertThatThrownBy(() -> builder.requestsPerSecond(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.requestsPerSecond(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.endpoint(URI.create("ftp://collector:4317")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.protocol(null)).isInstanceOf(NullPointerException.class);

    try (DemoTraffic traffic = traffic(DemoTraffic.builder().seed(1))) {
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4317"));
      assertThat(traffic.protocol()).isEqualTo(OtlpProtocol.GRPC);
      assertThat(traffic.seed()).isEqualTo(1);
    }
    try (DemoTraffic traffic =
        traffic(DemoTraffic.builder().protocol(OtlpProtocol.HTTP_PROTOBUF))) {
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4318/v1/traces"));
    }
    try (DemoTraffic traffic =
        traffic(DemoTraffic.builder().protocol(OtlpProtocol.HTTP_PROTOBUF)
            .endpoint(URI.create("http://strand:4318")))) {
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://strand:4318/v1/traces"));
    }
  }

  @Test
  void publicBuilderCreatesOtlpGrpcExportersAndClosesQuickly() {
    long start = System.nanoTime();
    DemoTraffic.builder().endpoint(URI.create("http://127.0.0.1:1")).seed(2).build().close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
