package io.strand.server.receiver;

import static io.strand.server.OtlpRequests.id;
import static io.strand.server.OtlpRequests.request;
import static io.strand.server.OtlpRequests.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.protocol.UnaryGrpcClient;
import com.linecorp.armeria.common.grpc.protocol.ArmeriaStatusException;
import io.grpc.Status.Code;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each kind of bad input gets its status and a message naming the problem; afterwards the server
 * is healthy and a trace stored before is intact.
 */
class BadInputIT {

  private static final String EXPORT =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  private static final byte[] GOOD_TRACE = id(16, 0x11);

  @RegisterExtension static final RunningServer SERVER = new RunningServer();
  static int http;

  @BeforeAll
  static void startAndStoreOneTrace() throws Exception {
    http = SERVER.get().otlpHttpPort();
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "application/x-protobuf",
        request("keeper", span(GOOD_TRACE, id(8, 0x22), "kept")).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  /** Runs before the extension stops the server. */
  @AfterAll
  static void checkNothingWasHarmed() {
    int query = SERVER.get().queryPort();
    assertThat(TestServers.get(query, "/health").statusCode()).isEqualTo(200);
    assertThat(TestServers.get(query, "/ready").statusCode()).isEqualTo(200);
    assertThat(SERVER.get().storage().traceReader().getTrace(TraceId.fromBytes(GOOD_TRACE)))
        .singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("kept"));
  }


  private static HttpResponse<byte[]> postBytes(int port, String type, byte[] body,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(TestServers.uri(port, "/v1/traces"))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .build()) {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  @Test
  void malformedProtobufIs400WithAStatusBody() throws Exception {
    HttpResponse<byte[]> r = postBytes(http, "application/x-protobuf",
        new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2});
    assertThat(r.statusCode()).isEqualTo(400);
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(status.getMessage()).contains("malformed OTLP protobuf");
  }

  @Test
  void malformedJsonIs400NamingThePosition() {
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "application/json",
        "{\"resourceSpans\": [ {\"scopeSpans\": [".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"code\":3").contains("malformed OTLP JSON");
  }

  @Test
  void unsupportedContentTypeIs415() {
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "text/plain",
        "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(r.body()).contains("unsupported Content-Type");
  }

  @Test
  void requestWhoseSpansAreAllInvalidIs400NamingTheField() throws Exception {
    HttpResponse<byte[]> r = postBytes(http, "application/x-protobuf",
        request("bad", span(id(15, 1), id(8, 1), "short trace id")).toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(r.body()).getMessage()).contains("traceId must be 16 bytes");

    HttpResponse<String> zeros = TestServers.post(http, "/v1/traces", "application/json", """
        {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000000",
        "spanId":"0102030405060708","name":"zero"}]}]}]}""".getBytes(StandardCharsets.UTF_8));
    assertThat(zeros.statusCode()).isEqualTo(400);
    assertThat(zeros.body()).contains("traceId must not be all zeros");
  }

  @Test
  void someInvalidSpansGiveAPartialSuccess() throws Exception {
    byte[] trace = id(16, 0x33);
    HttpResponse<byte[]> r = postBytes(http, "application/x-protobuf", request("partial",
        span(trace, id(8, 0x01), "good"), span(trace, id(4, 0x02), "bad span id"),
        span(trace, id(8, 0x00), "zero span id")).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("spanId");
    assertThat(SERVER.get().storage().traceReader().getTrace(TraceId.fromBytes(trace)))
        .extracting(s -> s.name()).containsExactly("good");
  }

  @Test
  void oversizedBodyIs413() {
    byte[] big = new byte[9 << 20];
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "application/x-protobuf", big);
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void gzipBombIsRefusedWithoutInflatingIt() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        gz.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(1 << 20);
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "application/x-protobuf",
        compressed.toByteArray(), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("after decompression");
  }

  @Test
  void brokenGzipIs400() {
    HttpResponse<String> r = TestServers.post(http, "/v1/traces", "application/json",
        "not gzip at all".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("not valid gzip");
  }

  @Test
  void grpcRefusesMalformedAndInvalidRequestsWithInvalidArgument() {
    UnaryGrpcClient client = new UnaryGrpcClient(
        WebClient.of("http://127.0.0.1:" + SERVER.get().otlpGrpcPort()));
    assertThatThrownBy(() -> client.execute(EXPORT, new byte[] {0x0a, (byte) 0xff, 0x7f}).join())
        .isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(ArmeriaStatusException.class, e -> {
          assertThat(e.getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
          assertThat(e.getMessage()).contains("malformed OTLP protobuf");
        });
    byte[] zeroTrace = request("bad", span(id(16, 0), id(8, 1), "zero")).toByteArray();
    assertThatThrownBy(() -> client.execute(EXPORT, zeroTrace).join())
        .cause().isInstanceOfSatisfying(ArmeriaStatusException.class, e -> {
          assertThat(e.getCode()).isEqualTo(Code.INVALID_ARGUMENT.value());
          assertThat(e.getMessage()).contains("traceId must not be all zeros");
        });
  }

  @Test
  void grpcRefusesOversizedMessagesWithResourceExhausted() {
    UnaryGrpcClient client = new UnaryGrpcClient(
        WebClient.builder("http://127.0.0.1:" + SERVER.get().otlpGrpcPort())
            .maxResponseLength(0).build());
    byte[] big = request("big", span(id(16, 5), id(8, 5), "x".repeat(9 << 20))).toByteArray();
    assertThatThrownBy(() -> client.execute(EXPORT, big).join())
        .cause().isInstanceOfSatisfying(ArmeriaStatusException.class,
            e -> assertThat(e.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED.value()));
  }

  @Test
  void zipkinRefusesBadInputWhole() {
    int zipkin = SERVER.get().zipkinPort();
    HttpResponse<String> malformed = TestServers.post(zipkin, "/api/v2/spans",
        "application/json", "[{\"traceId\":".getBytes(StandardCharsets.UTF_8));
    assertThat(malformed.statusCode()).isEqualTo(400);
    HttpResponse<String> badId = TestServers.post(zipkin, "/api/v2/spans", "application/json",
        "[{\"traceId\":\"xyz\",\"id\":\"0000000000000001\",\"name\":\"a\"}]"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(badId.statusCode()).isEqualTo(400);
    assertThat(badId.body()).contains("xyz", "hex");
    HttpResponse<String> wrongType = TestServers.post(zipkin, "/api/v2/spans", "text/csv",
        "a,b".getBytes(StandardCharsets.UTF_8));
    assertThat(wrongType.statusCode()).isEqualTo(415);
  }

  @Test
  void readApiRefusesMalformedIdsAndReportsUnknownOnes() {
    HttpResponse<String> bad = TestServers.get(SERVER.get().queryPort(), "/api/v1/traces/xyz");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"error\"").contains("32 hex digits");
    HttpResponse<String> unknown = TestServers.get(SERVER.get().queryPort(),
        "/api/v1/traces/0123456789abcdef0123456789abcdef");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("not found");
  }
}
