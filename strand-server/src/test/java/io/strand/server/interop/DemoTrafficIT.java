package io.strand.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.demo.DemoTraffic;
import io.strand.demo.OtlpProtocol;
import io.strand.model.Span;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.TestServers;
import io.strand.storage.TraceQuery;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo services, exporting with the real SDK, fill a running server with whole traces. */
class DemoTrafficIT {

  @TempDir Path dir;

  @Test
  void demoTracesArriveWhole() {
    try (StrandServer server = TestServers.start(dir)) {
      try (DemoTraffic demo = DemoTraffic.builder()
          .endpoint(URI.create("http://127.0.0.1:" + server.otlpGrpcPort()))
          .protocol(OtlpProtocol.GRPC).seed(42).build()) {
        for (int i = 0; i < 60; i++) {
          demo.runOnce();
        }
      }
      assertThat(server.storage().serviceCatalog().services())
          .contains("frontend", "checkout", "payment", "inventory");
      List<TraceId> traces = server.storage().traceSearch().findTraceIds(
          TraceQuery.builder().serviceName("frontend").limit(1000).build());
      assertThat(traces).hasSize(60);
      for (TraceId id : traces) {
        List<Span> spans = server.storage().traceReader().getTrace(id);
        assertThat(spans.stream().filter(Span::isRoot)).as("one root in %s", id).hasSize(1);
        assertThat(spans).allSatisfy(s -> assertThat(s.isRoot() || spans.stream()
            .anyMatch(p -> p.spanId() == s.parentSpanId())).as("parent of %s present", s.name())
            .isTrue());
      }
      assertThat(traces.stream().flatMap(id -> server.storage().traceReader().getTrace(id)
          .stream()).anyMatch(s -> s.statusCode() == StatusCode.ERROR)).isTrue();
    }
  }
}
