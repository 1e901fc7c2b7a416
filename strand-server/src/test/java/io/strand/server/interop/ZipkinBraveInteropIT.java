package io.strand.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracer;
import brave.Tracing;
import brave.propagation.TraceContext;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.RunningServer;
import io.strand.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.okhttp3.OkHttpSender;

/**
 * Brave, reporting through zipkin-reporter's OkHttp sender in JSON and proto3, sends to a running
 * server; the Zipkin read API must give the spans back in Zipkin's JSON with every field intact,
 * and the stored model must follow the OpenTelemetry mapping of Zipkin.
 */
class ZipkinBraveInteropIT {

  private static final long T0_MICROS = 1_700_000_000_000_000L;

  @RegisterExtension static final RunningServer SERVER = new RunningServer();



  @ParameterizedTest
  @EnumSource(value = Encoding.class, names = {"JSON", "PROTO3"})
  void braveSpansRoundTrip(Encoding encoding) throws Exception {
    String service = "brave-" + encoding.name().toLowerCase();
    TraceContext rootContext;
    try (OkHttpSender sender = OkHttpSender.newBuilder()
            .endpoint("http://127.0.0.1:" + SERVER.get().zipkinPort() + "/api/v2/spans")
            .encoding(encoding).build();
        AsyncZipkinSpanHandler handler = AsyncZipkinSpanHandler.create(sender);
        Tracing tracing = Tracing.newBuilder().localServiceName(service).traceId128Bit(true)
            .addSpanHandler(handler).build()) {
      Tracer tracer = tracing.tracer();
      brave.Span root = tracer.newTrace().name("get /users").kind(brave.Span.Kind.SERVER)
          .remoteServiceName("browser").tag("http.method", "GET").tag("http.path", "/users");
      root.remoteIpAndPort("10.1.2.3", 51000);
      root.start(T0_MICROS);
      root.annotate(T0_MICROS + 100, "cache.miss");
      brave.Span child = tracer.newChild(root.context()).name("select users")
          .kind(brave.Span.Kind.CLIENT).remoteServiceName("postgres")
          .tag("db.statement", "select * from users");
      child.start(T0_MICROS + 200);
      child.error(new IllegalStateException("connection reset"));
      child.finish(T0_MICROS + 5_200);
      root.finish(T0_MICROS + 10_000);
      rootContext = root.context();
      handler.flush();
    }

    String traceIdHex = rootContext.traceIdString();
    HttpResponse<String> response =
        TestServers.get(SERVER.get().zipkinPort(), "/api/v2/trace/" + traceIdHex);
    assertThat(response.statusCode()).isEqualTo(200);
    List<zipkin2.Span> spans =
        SpanBytesDecoder.JSON_V2.decodeList(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(spans).hasSize(2);
    zipkin2.Span root = spans.stream().filter(s -> s.parentId() == null).findFirst().orElseThrow();
    zipkin2.Span child = spans.stream().filter(s -> s.parentId() != null).findFirst().orElseThrow();

    assertThat(root.traceId()).isEqualTo(traceIdHex);
    assertThat(root.name()).isEqualTo("get /users");
    assertThat(root.kind()).isEqualTo(zipkin2.Span.Kind.SERVER);
    assertThat(root.localServiceName()).isEqualTo(service);
    assertThat(root.remoteEndpoint()).isEqualTo(
        Endpoint.newBuilder().serviceName("browser").ip("10.1.2.3").port(51000).build());
    assertThat(root.tags()).containsEntry("http.method", "GET").containsEntry("http.path", "/users");
    assertThat(root.annotations()).hasSize(1);
    assertThat(root.annotations().get(0).value()).isEqualTo("cache.miss");
    assertThat(root.annotations().get(0).timestamp()).isEqualTo(T0_MICROS + 100);
    assertThat(root.timestampAsLong()).isEqualTo(T0_MICROS);
    assertThat(root.durationAsLong()).isEqualTo(10_000);

    assertThat(child.parentId()).isEqualTo(root.id());
    assertThat(child.kind()).isEqualTo(zipkin2.Span.Kind.CLIENT);
    assertThat(child.remoteServiceName()).isEqualTo("postgres");
    assertThat(child.tags()).containsEntry("error", "connection reset")
        .containsEntry("db.statement", "select * from users");

    List<Span> stored = SERVER.get().storage().traceReader().getTrace(TraceId.fromHex(traceIdHex));
    Span storedChild = stored.stream().filter(s -> !s.isRoot()).findFirst().orElseThrow();
    assertThat(storedChild.serviceName()).isEqualTo(service);
    assertThat(storedChild.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(storedChild.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(storedChild.statusMessage()).isEqualTo("connection reset");
    assertThat(storedChild.attributes().getText("peer.service")).isEqualTo("postgres");
    assertThat(storedChild.attributes().get("error")).as("error tag becomes status").isNull();
    Span storedRoot = stored.stream().filter(Span::isRoot).findFirst().orElseThrow();
    assertThat(storedRoot.events()).hasSize(1);
    assertThat(storedRoot.events().get(0).timeUnixNano()).isEqualTo((T0_MICROS + 100) * 1000);
  }
}
