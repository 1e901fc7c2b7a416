package io.strand.server;

import io.strand.server.config.ConfigKey;
import io.strand.server.config.StrandConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Starts in-process servers on loopback with free ports, and talks to them over HTTP. */
public final class TestServers {
  /** HTTP/1.1, as the OTLP and Zipkin exporters speak it. */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestServers() {}

  /** A config on 127.0.0.1 with every port chosen by the OS and data under {@code dataDir}. */
  public static StrandConfig config(Path dataDir) {
    return StrandConfig.defaults()
        .with(ConfigKey.BIND_ADDRESS, "127.0.0.1")
        .with(ConfigKey.QUERY_PORT, "0")
        .with(ConfigKey.OTLP_GRPC_PORT, "0")
        .with(ConfigKey.OTLP_HTTP_PORT, "0")
        .with(ConfigKey.ZIPKIN_PORT, "0")
        .with(ConfigKey.DATA_DIR, dataDir.toString());
  }

  public static StrandServer start(Path dataDir) {
    return StrandServer.start(config(dataDir));
  }

  public static HttpResponse<String> get(int port, String path) {
    return send(HttpRequest.newBuilder(uri(port, path)).GET());
  }

  public static HttpResponse<String> post(int port, String path, String contentType,
      byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(port, path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  public static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
