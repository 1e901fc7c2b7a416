package io.strand.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.strand.model.TraceId;
import io.strand.server.OtlpRequests;
import io.strand.server.ServerProcess;
import io.strand.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends spans to a server running as its own process while it is killed with SIGKILL; after a
 * restart on the same data directory every span whose request was acknowledged is there.
 */
class CrashDurabilityIT {

  private static final int SPANS_PER_REQUEST = 50;

  @TempDir Path data;

  @Test
  void acknowledgedSpansSurviveSigkill() throws Exception {
    Map<TraceId, Integer> acknowledged = new ConcurrentHashMap<>();
    CountDownLatch enoughAcks = new CountDownLatch(40);
    try (ServerProcess first = ServerProcess.start(data)) {
      int port = first.otlpHttpPort();
      byte[] firstTrace = traceId(0);
      HttpResponse<String> r = TestServers.post(port, "/v1/traces", "application/x-protobuf",
          request(firstTrace));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TestServers.get(first.queryPort(), "/api/v1/traces/" + hex(firstTrace))
          .statusCode()).as("readable as soon as acknowledged").isEqualTo(200);
      acknowledged.put(TraceId.fromBytes(firstTrace), SPANS_PER_REQUEST);

      Thread sender = new Thread(() -> {
        for (int i = 1; i < 100_000; i++) {
          byte[] trace = traceId(i);
          HttpResponse<String> ack;
          try {
            ack = TestServers.post(port, "/v1/traces", "application/x-protobuf", request(trace));
          } catch (RuntimeException e) {
            return;
          }
          if (ack.statusCode() == 200) {
            acknowledged.put(TraceId.fromBytes(trace), SPANS_PER_REQUEST);
            enoughAcks.countDown();
          }
        }
      }, "sender");
      sender.start();
      assertThat(enoughAcks.await(60, TimeUnit.SECONDS)).as("40 requests acknowledged").isTrue();
      first.kill();
      sender.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(sender.isAlive()).as("sender stops once the server is gone").isFalse();
    }

    try (ServerProcess second = ServerProcess.start(data)) {
      for (Map.Entry<TraceId, Integer> e : acknowledged.entrySet()) {
        HttpResponse<String> trace =
            TestServers.get(second.queryPort(), "/api/v1/traces/" + e.getKey().toHex());
        assertThat(trace.statusCode()).as("trace %s", e.getKey()).isEqualTo(200);
        assertThat(countOf(trace.body(), "\"spanId\"")).as("spans of %s", e.getKey())
            .isEqualTo(e.getValue());
      }
    }
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(41);
  }

  private static byte[] request(byte[] traceId) {
    Span[] spans = new Span[SPANS_PER_REQUEST];
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      spans[i] = OtlpRequests.span(traceId, ByteBuffer.allocate(8).putLong(i + 1).array(),
          "op-" + i);
    }
    return OtlpRequests.request("crash-test", spans).toByteArray();
  }

  private static byte[] traceId(int i) {
    return ByteBuffer.allocate(16).putLong(0xC0FFEEL).putLong(i + 1).array();
  }

  private static String hex(byte[] id) {
    return TraceId.fromBytes(id).toHex();
  }

  private static int countOf(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

}
