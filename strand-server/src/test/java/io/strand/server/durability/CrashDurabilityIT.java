package io.strand.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.server.ServerProcess;
import io.strand.server.durability.SpanSenders.Protocol;
import io.strand.server.durability.SpanSenders.Shape;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends spans to a server running as its own process while it is killed with SIGKILL; after a
 * restart on the same data directory every span whose request was acknowledged is there.
 * {@link RandomKillCrashIT} repeats this at random kill points with every receiver.
 */
class CrashDurabilityIT {

  private static final Shape ONE_TRACE_OF_50_SPANS = new Shape(1, 50);

  @TempDir Path data;

  @Test
  void acknowledgedSpansSurviveSigkill() throws Exception {
    AcknowledgedSpans acknowledged = new AcknowledgedSpans();
    try (ServerProcess first = ServerProcess.start(data);
        SpanSenders load = SpanSenders.start(first, 0, ONE_TRACE_OF_50_SPANS, acknowledged,
            Protocol.OTLP_HTTP_PROTOBUF)) {
      assertThat(load.awaitEachAcknowledged(1, Duration.ofSeconds(60)))
          .as("first acknowledgement; %s", load.unexpected()).isTrue();
      acknowledged.assertAllReadable(first.queryPort(), "readable as soon as acknowledged");
      assertThat(load.awaitEachAcknowledged(40, Duration.ofSeconds(60)))
          .as("40 requests acknowledged; %s", load.unexpected()).isTrue();
      load.killServer();
      assertThat(load.unexpected()).isEmpty();
    }

    try (ServerProcess second = ServerProcess.start(data)) {
      acknowledged.assertAllReadable(second.queryPort(), "after SIGKILL and restart");
    }
    assertThat(acknowledged.traceCount()).isGreaterThanOrEqualTo(40);
  }
}
