package io.strand.server.receiver;

import static io.strand.server.OtlpRequests.id;
import static io.strand.server.OtlpRequests.request;
import static io.strand.server.OtlpRequests.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.protocol.UnaryGrpcClient;
import com.linecorp.armeria.common.grpc.protocol.ArmeriaStatusException;
import io.grpc.Status.Code;
import io.strand.model.TraceId;
import io.strand.server.GatedStorage;
import io.strand.server.StrandServer;
import io.strand.server.TestServers;
import io.strand.server.config.ConfigKey;
import io.strand.server.config.StrandConfig;
import io.strand.storage.rocksdb.RocksDbConfig;
import io.strand.storage.rocksdb.RocksDbStorage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload and a failing store are answered with each protocol's retryable refusal and its
 * delay (HTTP Retry-After, gRPC RetryInfo); reads keep working meanwhile, ingest resumes by
 * itself, and the metrics count every outcome.
 */
class IngestRefusalIT {

  private static final String EXPORT =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final byte[] KEPT = id(16, 0x11);

  @TempDir Path data;
  private GatedStorage storage;
  private StrandServer server;
  private UnaryGrpcClient grpc;

  @BeforeEach
  void start() {
    StrandConfig config = TestServers.config(data)
        .with(ConfigKey.WRITER_THREADS, "1")
        .with(ConfigKey.QUEUED_BATCHES, "1");
    storage = new GatedStorage(RocksDbStorage.open(RocksDbConfig.builder(data).build()));
    server = StrandServer.start(config, storage);
    grpc = new UnaryGrpcClient(WebClient.of("http://127.0.0.1:" + server.otlpGrpcPort()));
    assertThat(otlp(KEPT).statusCode()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    storage.release();
    server.close();
  }

  @Test
  void aFullQueueIsRefusedWithRetryAfterAndRetryInfo() throws Exception {
    storage.hold();
    CompletableFuture<HttpResponse<String>> writing =
        CompletableFuture.supplyAsync(() -> otlp(id(16, 0x21)));
    assertThat(storage.awaitHeldWrite()).as("the writer is busy").isTrue();
    CompletableFuture<HttpResponse<String>> queued =
        CompletableFuture.supplyAsync(() -> otlp(id(16, 0x22)));
    awaitMetric("strand_ingest_queue_spans 2");
    HttpResponse<String> refused = otlp(id(16, 0x23));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    HttpResponse<String> json = otlpJson(0x26);
    assertThat(json.statusCode()).isEqualTo(429);
    assertThat(json.body()).contains("\"code\":8").contains("queue is full");

    HttpResponse<String> zipkin = zipkin(0x24);
    assertThat(zipkin.statusCode()).isEqualTo(429);
    assertThat(zipkin.headers().firstValue("Retry-After")).hasValue("1");

    assertGrpcRefusal(Code.RESOURCE_EXHAUSTED, 1);

    storage.release();
    assertThat(writing.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(queued.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(otlp(id(16, 0x25)).statusCode()).as("accepted again once drained")
        .isEqualTo(200);
    String metrics = metrics();
    assertThat(metrics)
        .contains("strand_receiver_requests_total{outcome=\"overloaded\",protocol=\"otlp_http\"} 2")
        .contains("strand_receiver_requests_total{outcome=\"overloaded\",protocol=\"zipkin\"} 1")
        .contains("strand_receiver_requests_total{outcome=\"overloaded\",protocol=\"otlp_grpc\"} 1")
        .contains("strand_receiver_requests_total{outcome=\"stored\",protocol=\"otlp_http\"} 4")
        .contains("strand_ingest_queue_spans 0");
  }

  @Test
  void aFailingStoreRefusesIngestKeepsReadsAndRecoversByItself() throws Exception {
    storage.fail("IO error: No space left on device");
    HttpResponse<String> refused = otlp(id(16, 0x31));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
    HttpResponse<String> json = otlpJson(0x34);
    assertThat(json.statusCode()).isEqualTo(503);
    assertThat(json.body()).contains("\"code\":14").contains("No space left on device");
    assertThat(zipkin(0x32).statusCode()).isEqualTo(503);
    assertGrpcRefusal(Code.UNAVAILABLE, 5);

    int query = server.queryPort();
    assertThat(TestServers.get(query, "/api/v1/traces/" + TraceId.fromBytes(KEPT).toHex())
        .statusCode()).as("reads keep working").isEqualTo(200);
    assertThat(metrics()).contains("strand_store_failing 1");

    storage.heal();
    assertThat(otlp(id(16, 0x33)).statusCode()).isEqualTo(200);
    assertThat(TestServers.get(query, "/api/v1/traces/" + TraceId.fromBytes(id(16, 0x33))
        .toHex()).statusCode()).isEqualTo(200);
    assertThat(metrics()).contains("strand_store_failing 0")
        .contains("strand_receiver_requests_total{outcome=\"store_failed\",protocol=\"otlp_http\"} 2");
  }

  @Test
  void tooManySpansInOneRequestIsRefusedNamingTheLimit() throws Exception {
    server.close();
    server = StrandServer.start(TestServers.config(data)
        .with(ConfigKey.MAX_SPANS_PER_REQUEST, "2"),
        storage = new GatedStorage(RocksDbStorage.open(RocksDbConfig.builder(data).build())));
    byte[] three = request("svc", span(id(16, 0x41), id(8, 1), "a"),
        span(id(16, 0x41), id(8, 2), "b"), span(id(16, 0x41), id(8, 3), "c")).toByteArray();
    HttpResponse<String> r = TestServers.post(server.otlpHttpPort(), "/v1/traces",
        "application/x-protobuf", three);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("limits.max-spans-per-request");
    UnaryGrpcClient client =
        new UnaryGrpcClient(WebClient.of("http://127.0.0.1:" + server.otlpGrpcPort()));
    assertThatThrownBy(() -> client.execute(EXPORT, three).join())
        .cause().isInstanceOfSatisfying(ArmeriaStatusException.class, e -> {
          assertThat(e.getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
          assertThat(e.getMessage()).contains("limits.max-spans-per-request");
        });
    assertThat(metrics()).contains(
        "strand_limit_hits_total{limit=\"limits.max-spans-per-request\"} 2");
    assertThat(server.storage().traceReader().getTrace(TraceId.fromBytes(id(16, 0x41))))
        .isEmpty();
  }

  private void assertGrpcRefusal(Code code, long retrySeconds) {
    byte[] body = request("svc", span(id(16, 0x51), id(8, 1), "grpc")).toByteArray();
    assertThatThrownBy(() -> grpc.execute(EXPORT, body).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(ArmeriaStatusException.class, e -> {
          assertThat(e.getCode()).isEqualTo(code.value());
          assertThat(e.getGrpcStatusDetailsBin()).as("grpc-status-details-bin").isNotNull();
          try {
            Status details = Status.parseFrom(e.getGrpcStatusDetailsBin());
            RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
            assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(retrySeconds);
          } catch (Exception parse) {
            throw new AssertionError(parse);
          }
        });
  }

  private void awaitMetric(String line) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!metrics().contains(line)) {
      assertThat(System.nanoTime()).as("waiting for %s", line).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private HttpResponse<String> otlpJson(int n) {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
        + "%032x".formatted(n) + "\",\"spanId\":\"0000000000000001\",\"name\":\"op\","
        + "\"startTimeUnixNano\":\"1700000000000000000\","
        + "\"endTimeUnixNano\":\"1700000000005000000\"}]}]}]}";
    return TestServers.post(server.otlpHttpPort(), "/v1/traces", "application/json",
        json.getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> otlp(byte[] trace) {
    return TestServers.post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf",
        request("refusals", span(trace, id(8, 1), "op")).toByteArray());
  }

  private HttpResponse<String> zipkin(int n) {
    String json = "[{\"traceId\":\"" + "%032x".formatted(n) + "\",\"id\":\"0000000000000001\","
        + "\"name\":\"op\",\"timestamp\":1700000000000000,\"duration\":5,"
        + "\"localEndpoint\":{\"serviceName\":\"refusals\"}}]";
    return TestServers.post(server.zipkinPort(), "/api/v2/spans", "application/json",
        json.getBytes(StandardCharsets.UTF_8));
  }

  private String metrics() {
    HttpResponse<String> r = TestServers.get(server.queryPort(), "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
