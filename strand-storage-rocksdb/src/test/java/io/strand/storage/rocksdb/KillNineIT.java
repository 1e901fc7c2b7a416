package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import io.strand.storage.TraceQuery;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: a writer process is killed with SIGKILL in the middle of a stream of writes; every
 * batch it saw acknowledged is readable after reopening, and no batch is torn.
 */
class KillNineIT {

  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Xmx256m", "-cp", classpath, KillNineWriter.class.getName(), dir.toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    int lastAck = -1;
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (lastAck < 300 && (line = out.readLine()) != null) {
        output.add(line);
        if (line.startsWith("ACK ")) {
          lastAck = Integer.parseInt(line.substring(4));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no RocksDB close
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(lastAck).as("child output: %s", output).isEqualTo(300);
    assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL

    try (RocksDbStorage s = RocksDbStorage.open(RocksDbConfig.of(dir))) {
      for (int n = 0; n <= lastAck; n++) {
        assertThat(s.traceReader().getTrace(new TraceId(9, n + 1))).as("batch %d", n)
            .containsExactlyElementsOf(KillNineWriter.batch(n));
      }
      // Batches written after the last acknowledgement are whole or absent, never torn.
      for (int n = lastAck + 1; n < lastAck + 1_000; n++) {
        List<Span> trace = s.traceReader().getTrace(new TraceId(9, n + 1));
        assertThat(trace.size()).as("batch %d", n)
            .isIn(0, KillNineWriter.SPANS_PER_BATCH);
      }
      assertThat(s.serviceCatalog().services()).containsExactly("svc0", "svc1", "svc2");
      // The postings of these batches were still in memory: they are indexed again on open.
      for (int n = 0; n <= lastAck; n += 7) {
        TraceQuery q = TraceQuery.builder()
            .attributes(Map.of("batch", Integer.toString(n))).limit(5).build();
        assertThat(s.traceSearch().findTraceIds(q)).as("batch %d", n)
            .containsExactly(new TraceId(9, n + 1));
      }
      TraceQuery bySvc = TraceQuery.builder().serviceName("svc1")
          .startTimeMaxNanos(TestSpans.T0 + lastAck).limit(1000).build();
      assertThat(s.traceSearch().findTraceIds(bySvc)).hasSize((lastAck + 2) / 3);
    }
  }
}
