package io.strand.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sends real OTLP/HTTP protobuf requests to a minimal in-process HTTP endpoint. */
class OtlpHttpExportTest {
  private record Received(String path, String contentType, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      received.add(new Received(exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Content-Type"),
          exchange.getRequestBody().readAllBytes()));
      // An empty ExportTraceServiceResponse encodes to zero bytes.
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void exportsEveryServiceOverOtlpHttp() {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (DemoTraffic traffic =
        DemoTraffic.builder().protocol(OtlpProtocol.HTTP_PROTOBUF).endpoint(endpoint).seed(9)
            .build()) {
      for (int i = 0; i < 30; i++) {
        traffic.runOnce();
      }
    }
    assertThat(received).isNotEmpty().allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/v1/traces");
      assertThat(r.contentType()).isEqualTo("application/x-protobuf");
      assertThat(r.body()).isNotEmpty();
    });
    // Protobuf keeps strings verbatim, so the resource of each SDK is visible in the bytes.
    String all = String.join("\n", received.stream()
        .map(r -> new String(r.body(), StandardCharsets.ISO_8859_1)).toList());
    assertThat(all).contains("service.name", "frontend", "checkout", "payment", "fraud-check",
        "inventory", "shipping", "recommendation");
  }
}
