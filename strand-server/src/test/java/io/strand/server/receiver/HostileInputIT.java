package io.strand.server.receiver;

import static io.strand.server.OtlpRequests.id;
import static io.strand.server.OtlpRequests.request;
import static io.strand.server.OtlpRequests.span;
import static io.strand.server.receiver.RawHttp2Connection.CONTINUATION;
import static io.strand.server.receiver.RawHttp2Connection.END_HEADERS;
import static io.strand.server.receiver.RawHttp2Connection.HEADERS;
import static io.strand.server.receiver.RawHttp2Connection.SETTINGS_MAX_CONCURRENT_STREAMS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.strand.model.TraceId;
import io.strand.server.StrandServer;
import io.strand.server.TestServers;
import io.strand.server.config.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input. First a table: one row per request no well-behaved client sends, each with
 * the answer it must get (HTTP status or gRPC code, and a fragment of the message), exactly the
 * counters on {@code /metrics} it must move, and what of it is stored, read back through the read
 * API. Then abuse of connections rather than of requests: slow uploads, idle connections and
 * HTTP/2 floods, during which other clients must be served. Afterwards the server is healthy and
 * the trace stored before everything is unchanged, byte for byte. docs/api.md#hostile-input
 * lists the same cases.
 */
class HostileInputIT {

  private static final String EXPORT =
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
  /** Short, so a slow upload is cut off quickly; the default is 30 s. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Armeria's default idle timeout, which ends connections that never finish their headers. */
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);
  /** How long a normal request may take while the server is being abused. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);
  /** Twice the advertised SETTINGS_MAX_CONCURRENT_STREAMS: the most one connection may hold. */
  private static final int MAX_OPEN_STREAMS = 512;
  private static final byte[] KEEPER = id(16, 0x11);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path data;
  static StrandServer server;
  static WebClient grpc;
  static String keeperBefore;
  static final CompletableFuture<Duration> HEADER_TRICKLER = new CompletableFuture<>();

  @BeforeAll
  static void startAndStoreOneTrace() throws Exception {
    server = StrandServer.start(TestServers.config(data)
        .with(ConfigKey.REQUEST_TIMEOUT, REQUEST_TIMEOUT.toMillis() + "ms"));
    grpc = WebClient.builder("http://127.0.0.1:" + server.otlpGrpcPort())
        .maxResponseLength(0).responseTimeout(Duration.ofSeconds(30)).build();
    Span keeper = span(KEEPER, id(8, 0x22), "kept").toBuilder()
        .addAttributes(attribute("http.route", AnyValue.newBuilder().setStringValue("/cart")))
        .addEvents(Span.Event.newBuilder().setName("cache miss")
            .setTimeUnixNano(1_700_000_000_050_000_000L))
        .build();
    assertThat(post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf",
        request("keeper", keeper).toByteArray()).statusCode()).isEqualTo(200);
    keeperBefore = get(server.queryPort(), "/api/v1/traces/" + hex(KEEPER)).body();
    assertThat(keeperBefore).contains("\"kept\"");
    // A classic slow loris, never finishing its headers: it runs alongside everything else and
    // is checked at the end, so its wait for the idle timeout costs no time of its own.
    Thread.ofVirtual().name("header-trickler").start(() -> {
      try {
        HEADER_TRICKLER.complete(trickleHeaders());
      } catch (Throwable t) {
        HEADER_TRICKLER.completeExceptionally(t);
      }
    });
  }

  /** Runs after every test of the class, before the server stops. */
  @AfterAll
  static void checkNothingWasHarmed() throws Exception {
    try {
      int query = server.queryPort();
      assertThat(get(query, "/health").statusCode()).isEqualTo(200);
      assertThat(get(query, "/ready").statusCode()).isEqualTo(200);
      assertThat(get(query, "/api/v1/traces/" + hex(KEEPER)).body()).isEqualTo(keeperBefore);
      assertThat(server.storage().traceReader().getTrace(TraceId.fromBytes(KEEPER)))
          .singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("kept"));
      assertThat(exportOverGrpc(id(16, 0x12))).isEqualTo(0);
      Duration headerTrickleCutAfter = HEADER_TRICKLER.get(60, TimeUnit.SECONDS);
      assertThat(headerTrickleCutAfter).as("a connection trickling its headers is closed")
          .isBetween(IDLE_TIMEOUT.minusSeconds(1), IDLE_TIMEOUT.plusSeconds(10));
    } finally {
      server.close();
    }
  }

  // ---------------------------------------------------------------------------------------
  // The table

  static Stream<Row> table() throws IOException {
    List<Row> rows = new ArrayList<>();
    String otlpInvalid = requests("otlp_http", "invalid");
    String otlpStored = requests("otlp_http", "stored");
    String grpcInvalid = requests("otlp_grpc", "invalid");
    String zipkinInvalid = requests("zipkin", "invalid");
    String zipkinStored = requests("zipkin", "stored");

    // Broken protobuf, hand-made bytes
    byte[] valid = request("svc", span(id(16, 0x30), id(8, 1), "whole")).toByteArray();
    rows.add(otlp("truncated protobuf", Arrays.copyOf(valid, valid.length - 5))
        .answers(400, "malformed OTLP protobuf: While parsing a protocol message, the input ended"
            + " unexpectedly").counts(otlpInvalid, 1).storesNothing(id(16, 0x30)));
    rows.add(otlp("length prefix claiming 1 GiB",
            bytes(0x0a, 0x80, 0x80, 0x80, 0x80, 0x04, 1, 2, 3))
        .answers(400, "the input ended unexpectedly").counts(otlpInvalid, 1));
    rows.add(otlp("length prefix claiming 1 GiB inside a span", claimGibInsideSpan())
        .answers(400, "the input ended unexpectedly").counts(otlpInvalid, 1));
    rows.add(otlp("negative length prefix",
            bytes(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 1))
        .answers(400, "negative size").counts(otlpInvalid, 1));
    rows.add(otlp("wire type 7 (does not exist)", bytes(0x0f, 0x01))
        .answers(400, "invalid wire type").counts(otlpInvalid, 1));
    rows.add(otlp("group that never ends", bytes(0x0b, 0x08, 0x01))
        .answers(400, "end-group tag did not match").counts(otlpInvalid, 1));
    // Protobuf keeps a known field with an unexpected wire type as an unknown field.
    rows.add(otlp("resourceSpans sent as a varint (wrong wire type)", bytes(0x08, 0x01))
        .answers(200, "").counts(otlpStored, 1));
    rows.add(otlp("AnyValue nested 200 deep (protobuf's recursion limit is 100)",
            request("deep", nestedAttribute(span(id(16, 0x39), id(8, 1), "deep"), 200))
                .toByteArray())
        .answers(400, "Protocol message had too many levels of nesting").counts(otlpInvalid, 1));
    rows.add(otlp("invalid UTF-8 in the span name", invalidUtf8Name(id(16, 0x31)))
        .answers(400, "Protocol message had invalid UTF-8").counts(otlpInvalid, 1)
        .storesNothing(id(16, 0x31)));
    rows.add(otlp("first bytes of a valid request", Arrays.copyOf(valid, 1))
        .answers(400, "malformed OTLP protobuf").counts(otlpInvalid, 1));
    rows.add(otlp("stray bytes", bytes(0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2))
        .answers(400, "malformed OTLP protobuf").counts(otlpInvalid, 1));

    // Ids
    rows.add(otlp("all-zero trace id", request("bad", span(id(16, 0), id(8, 1), "zero"))
            .toByteArray())
        .answers(400, "traceId must not be all zeros").counts(otlpInvalid, 1));
    rows.add(otlp("all-zero span id", request("bad", span(id(16, 0x32), id(8, 0), "zero"))
            .toByteArray())
        .answers(400, "spanId must not be all zeros").counts(otlpInvalid, 1)
        .storesNothing(id(16, 0x32)));
    rows.add(otlp("15-byte trace id", request("bad", span(id(15, 1), id(8, 1), "short"))
            .toByteArray())
        .answers(400, "traceId must be 16 bytes, got 15").counts(otlpInvalid, 1));
    rows.add(otlpJson("all-zero trace id in JSON", """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000000",
            "spanId":"0102030405060708","name":"zero"}]}]}]}""")
        .answers(400, "traceId must not be all zeros").counts(otlpInvalid, 1));
    byte[] partial = id(16, 0x33);
    rows.add(otlp("one good span, a 4-byte and an all-zero span id", request("partial",
            span(partial, id(8, 0x01), "good"), span(partial, id(4, 0x02), "bad span id"),
            span(partial, id(8, 0x00), "zero span id")).toByteArray())
        .answers(200, "span 1 of resourceSpans[0].scopeSpans[0]: spanId must be 8 bytes, got 4")
        .counts(otlpStored, 1).stores(partial, s -> assertThat(s.get("name").asText())
            .isEqualTo("good")));

    // Timestamps: nanoseconds since 1970 in a fixed64 reach from 1970 to 2554, so neither
    // year 1 nor year 9999 can be sent in protobuf; in JSON they are out of range.
    byte[] latest = id(16, 0x34);
    rows.add(otlp("start at the largest fixed64 (year 2554), end at 0 (1970)",
            request("time", span(latest, id(8, 1), "far").toBuilder()
                .setStartTimeUnixNano(-1L).setEndTimeUnixNano(0).build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1).stores(latest, s -> {
          assertThat(Long.toUnsignedString(s.get("startTimeUnixNano").asLong()))
              .isEqualTo("18446744073709551615");
          assertThat(s.get("endTimeUnixNano").asLong()).isZero();
        }));
    byte[] epoch = id(16, 0x35);
    rows.add(otlp("start and end at 0 (1970-01-01)", request("time",
            span(epoch, id(8, 1), "epoch").toBuilder().setStartTimeUnixNano(0)
                .setEndTimeUnixNano(0).build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1).stores(epoch, s -> {
          assertThat(s.get("startTimeUnixNano").asLong()).isZero();
          assertThat(s.get("durationNanos").asLong()).isZero();
        }));
    rows.add(otlpJson("start in year 9999 in JSON", spanJson(0x36,
            "\"startTimeUnixNano\":\"253402300799000000000\""))
        .answers(400, "expected an unsigned 64-bit integer for startTimeUnixNano")
        .counts(otlpInvalid, 1).storesNothing(id(16, 0x36)));
    rows.add(otlpJson("start in year 1 in JSON", spanJson(0x37,
            "\"startTimeUnixNano\":\"-62135596800000000000\""))
        .answers(400, "expected an unsigned 64-bit integer for startTimeUnixNano")
        .counts(otlpInvalid, 1));
    rows.add(otlpJson("negative start as a JSON number", spanJson(0x37,
            "\"startTimeUnixNano\":-1"))
        .answers(400, "startTimeUnixNano must not be negative, got -1").counts(otlpInvalid, 1));

    // Limits: over a count or length, drop and count or truncate, as the OpenTelemetry SDKs do
    byte[] wide = id(16, 0x40);
    Span.Builder many = span(wide, id(8, 1), "wide").toBuilder();
    IntStream.range(0, 300).forEach(i -> many.addAttributes(
        attribute("a" + i, AnyValue.newBuilder().setIntValue(i))));
    rows.add(otlp("300 attributes", request("limits", many.build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-attributes-per-span"), 1)
        .stores(wide, s -> {
          assertThat(s.get("attributes").size()).isEqualTo(256);
          assertThat(s.get("attributes").has("a255")).isTrue();
          assertThat(s.get("droppedAttributesCount").asInt()).isEqualTo(44);
        }));
    byte[] longValue = id(16, 0x41);
    rows.add(otlp("100 KiB string value", request("limits", span(longValue, id(8, 1), "long")
            .toBuilder().addAttributes(attribute("payload",
                AnyValue.newBuilder().setStringValue("x".repeat(100 * 1024)))).build())
            .toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-attribute-value-length"), 1)
        .stores(longValue, s -> {
          assertThat(s.get("attributes").get("payload").asText()).hasSize(65536);
          assertThat(s.get("droppedAttributesCount").asInt()).isZero();
        }));
    byte[] longKey = id(16, 0x42);
    rows.add(otlp("attribute key of 300 characters", request("limits",
            span(longKey, id(8, 1), "key").toBuilder()
                .addAttributes(attribute("k".repeat(300), AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(attribute("short", AnyValue.newBuilder().setBoolValue(true)))
                .build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-attribute-key-length"), 1)
        .stores(longKey, s -> {
          assertThat(s.get("attributes").properties()).extracting(Map.Entry::getKey)
              .containsExactly("short");
          assertThat(s.get("droppedAttributesCount").asInt()).isEqualTo(1);
        }));
    byte[] chatty = id(16, 0x43);
    Span.Builder events = span(chatty, id(8, 1), "chatty").toBuilder();
    IntStream.range(0, 2000).forEach(i -> events.addEvents(Span.Event.newBuilder()
        .setName("e" + i).setTimeUnixNano(1_700_000_000_000_000_000L + i)));
    rows.add(otlp("2000 events", request("limits", events.build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-events-per-span"), 1)
        .stores(chatty, s -> {
          assertThat(s.get("events").size()).isEqualTo(1000);
          assertThat(s.get("events").get(999).get("name").asText()).isEqualTo("e999");
          assertThat(s.get("droppedEventsCount").asInt()).isEqualTo(1000);
        }));
    byte[] linked = id(16, 0x44);
    Span.Builder links = span(linked, id(8, 1), "linked").toBuilder();
    IntStream.range(0, 1200).forEach(i -> links.addLinks(Span.Link.newBuilder()
        .setTraceId(ByteString.copyFrom(id(16, 0x45))).setSpanId(ByteString.copyFrom(
            ByteBuffer.allocate(8).putLong(i + 1).array()))));
    rows.add(otlp("1200 links", request("limits", links.build()).toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-links-per-span"), 1)
        .stores(linked, s -> {
          assertThat(s.get("links").size()).isEqualTo(1000);
          assertThat(s.get("droppedLinksCount").asInt()).isEqualTo(200);
        }));
    byte[] deep = id(16, 0x46);
    rows.add(otlp("AnyValue nested 20 deep (limit 8)", request("limits",
            nestedAttribute(span(deep, id(8, 1), "deep"), 20)).toByteArray())
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-attribute-depth"), 1)
        .stores(deep, s -> {
          assertThat(s.get("attributes").properties()).extracting(Map.Entry::getKey)
              .containsExactly("flat");
          assertThat(s.get("droppedAttributesCount").asInt()).isEqualTo(1);
        }));
    rows.add(otlp("AnyValue nested 40 deep (decoder cap 32)", request("limits",
            nestedAttribute(span(id(16, 0x47), id(8, 1), "deeper"), 40)).toByteArray())
        .answers(400, "attribute value nested deeper than the limit of 32 levels")
        .counts(otlpInvalid, 1).storesNothing(id(16, 0x47)));
    rows.add(otlp("50001 spans in one request", manySpans(50_001).toByteArray())
        .answers(400, "over the limit of 50000 (limits.max-spans-per-request)")
        .counts(requests("otlp_http", "limited"), 1, limit("limits.max-spans-per-request"), 1)
        .storesNothing(id(16, 0x48)));

    // OTLP JSON
    rows.add(otlpJson("JSON cut short", "{\"resourceSpans\": [ {\"scopeSpans\": [")
        .answers(400, "malformed OTLP JSON").counts(otlpInvalid, 1));
    rows.add(otlpJson("empty JSON body", "").answers(400, "empty body").counts(otlpInvalid, 1));
    rows.add(otlpJson("resourceSpans as a string", "{\"resourceSpans\":\"many\"}")
        .answers(400, "expected an array for resourceSpans, got a string")
        .counts(otlpInvalid, 1));
    rows.add(otlpJson("unknown field nested 100000 arrays deep",
            "{\"unknown\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}")
        .answers(400, "Document nesting depth (1001) exceeds the maximum allowed")
        .counts(otlpInvalid, 1));
    rows.add(otlpJson("AnyValue nested 40 deep in JSON", spanJson(0x49,
            "\"attributes\":[{\"key\":\"d\",\"value\":" + nestedJsonValue(40) + "}]"))
        .answers(400, "attribute value nested deeper than the limit of 32 levels")
        .counts(otlpInvalid, 1).storesNothing(id(16, 0x49)));
    rows.add(otlpJson("AnyValue nested 20 deep in JSON", spanJson(0x4a,
            "\"attributes\":[{\"key\":\"d\",\"value\":" + nestedJsonValue(20) + "}]"))
        .answers(200, "").counts(otlpStored, 1, limit("limits.max-attribute-depth"), 1)
        .stores(id(16, 0x4a), s -> {
          assertThat(s.get("attributes").size()).isZero();
          assertThat(s.get("droppedAttributesCount").asInt()).isEqualTo(1);
        }));
    byte[] badJson = spanJson(0x4b, "\"name\":\"XX\"").getBytes(StandardCharsets.UTF_8);
    int at = new String(badJson, StandardCharsets.ISO_8859_1).indexOf("XX");
    badJson[at] = (byte) 0xff;
    badJson[at + 1] = (byte) 0xfe;
    rows.add(new Row("invalid UTF-8 in JSON", Via.OTLP_HTTP, "application/json", badJson)
        .answers(400, "Invalid UTF-8 start byte 0xff").counts(otlpInvalid, 1)
        .storesNothing(id(16, 0x4b)));

    // Bodies: size, encoding, type
    rows.add(otlp("9 MiB body (limit 8 MiB; refused before the receiver)", new byte[9 << 20])
        .answers(413, ""));
    rows.add(otlp("gzip bomb: 200 MiB of zeros in 200 KiB", gzipBomb(), "Content-Encoding", "gzip")
        .answers(413, "exceeds the limit of 8388608 bytes after decompression"
            + " (receivers.max-request-size)").counts(otlpInvalid, 1));
    rows.add(otlpJson("body that is not gzip, marked gzip", "not gzip at all",
            "Content-Encoding", "gzip")
        .answers(400, "request body is not valid gzip").counts(otlpInvalid, 1));
    rows.add(otlp("Content-Encoding br", valid, "Content-Encoding", "br")
        .answers(415, "unsupported Content-Encoding 'br'").counts(otlpInvalid, 1));
    rows.add(new Row("Content-Type text/plain", Via.OTLP_HTTP, "text/plain",
            "hello".getBytes(StandardCharsets.UTF_8))
        .answers(415, "unsupported Content-Type 'text/plain'").counts(otlpInvalid, 1));

    // OTLP/gRPC
    rows.add(grpc("gRPC: stray bytes", grpcFrame(bytes(0x0a, 0xff, 0x7f)))
        .answers(3, "malformed OTLP protobuf").counts(grpcInvalid, 1));
    rows.add(grpc("gRPC: truncated protobuf", grpcFrame(Arrays.copyOf(valid, valid.length - 5)))
        .answers(3, "input ended unexpectedly").counts(grpcInvalid, 1));
    rows.add(grpc("gRPC: all-zero trace id",
            grpcFrame(request("bad", span(id(16, 0), id(8, 1), "zero")).toByteArray()))
        .answers(3, "traceId must not be all zeros").counts(grpcInvalid, 1));
    rows.add(grpc("gRPC: invalid UTF-8", grpcFrame(invalidUtf8Name(id(16, 0x50))))
        .answers(3, "invalid UTF-8").counts(grpcInvalid, 1).storesNothing(id(16, 0x50)));
    rows.add(grpc("gRPC: AnyValue nested 40 deep", grpcFrame(request("limits",
            nestedAttribute(span(id(16, 0x51), id(8, 1), "deeper"), 40)).toByteArray()))
        .answers(3, "nested deeper than the limit of 32 levels").counts(grpcInvalid, 1));
    rows.add(grpc("gRPC: 50001 spans", grpcFrame(manySpans(50_001).toByteArray()))
        .answers(3, "limits.max-spans-per-request")
        .counts(requests("otlp_grpc", "limited"), 1, limit("limits.max-spans-per-request"), 1));
    rows.add(grpc("gRPC: 9 MiB message", grpcFrame(request("big",
            span(id(16, 0x52), id(8, 5), "x".repeat(9 << 20))).toByteArray()))
        .answers(8, "exceeds maximum"));
    rows.add(grpc("gRPC: length prefix claiming 1 GiB", bytes(0, 0x40, 0, 0, 0, 1, 2, 3))
        .answers(8, "Frame size 1073741824 exceeds maximum: 8388608"));
    byte[] bomb = gzipBomb();
    rows.add(grpc("gRPC: gzip bomb", grpcFrame(1, bomb.length, bomb), "grpc-encoding", "gzip")
        .answers(8, "exceeds maximum frame size: 8388608"));
    rows.add(grpc("gRPC: compressed message that is not gzip", grpcFrame(1, 5, bytes(1, 2, 3, 4,
            5)), "grpc-encoding", "gzip")
        .answers(3, "gRPC message is not valid gzip"));
    rows.add(grpc("gRPC: compressed message, unknown encoding", grpcFrame(1, 5, bytes(1, 2, 3, 4,
            5)), "grpc-encoding", "br")
        .answers(3, "compression not configured"));
    rows.add(grpc("gRPC: message shorter than its length prefix", grpcFrame(0, 10, bytes(1, 2, 3)))
        .answers(3, "gRPC message is shorter than its length prefix"));
    rows.add(grpc("gRPC: message that never finishes arriving", grpcFrame(0, 10, bytes(1, 2, 3)))
        .unfinished().answers(1, ""));

    // Zipkin
    rows.add(zipkin("Zipkin: JSON cut short", "application/json", "[{\"traceId\":")
        .answers(400, "").counts(zipkinInvalid, 1));
    rows.add(zipkin("Zipkin: trace id that is not hex", "application/json",
            "[{\"traceId\":\"xyz\",\"id\":\"0000000000000001\",\"name\":\"a\"}]")
        .answers(400, "xyz").counts(zipkinInvalid, 1));
    rows.add(zipkin("Zipkin: all-zero trace id", "application/json",
            "[{\"traceId\":\"0000000000000000\",\"id\":\"0102030405060708\",\"name\":\"z\"}]")
        .answers(400, "span 0: traceId is all zeros").counts(zipkinInvalid, 1));
    rows.add(zipkin("Zipkin: timestamp of the wrong type", "application/json",
            "[{\"traceId\":\"5353535353535353\",\"id\":\"0102030405060708\",\"name\":\"z\","
                + "\"timestamp\":\"abc\"}]")
        .answers(400, "For input string: \"abc\"").counts(zipkinInvalid, 1));
    rows.add(zipkin("Zipkin: tag nested 100000 arrays deep", "application/json",
            "[{\"traceId\":\"5454545454545454\",\"id\":\"0102030405060708\",\"tags\":{\"a\":"
                + "[".repeat(100_000) + "]".repeat(100_000) + "}}]")
        .answers(400, "Document nesting depth (1001) exceeds the maximum allowed")
        .counts(zipkinInvalid, 1));
    rows.add(new Row("Zipkin: proto3 length prefix claiming 1 GiB", Via.ZIPKIN,
            "application/x-protobuf", bytes(0x0a, 0x80, 0x80, 0x80, 0x80, 0x04, 1))
        .answers(400, "malformed Zipkin proto3").counts(zipkinInvalid, 1));
    rows.add(zipkin("Zipkin: text/csv", "text/csv", "a,b").answers(415, "")
        .counts(zipkinInvalid, 1));
    byte[] zipkinUtf8 = ("[{\"traceId\":\"5555555555555555\",\"id\":\"0102030405060708\","
        + "\"name\":\"XX\"}]").getBytes(StandardCharsets.UTF_8);
    int z = new String(zipkinUtf8, StandardCharsets.ISO_8859_1).indexOf("XX");
    zipkinUtf8[z] = (byte) 0xff;
    zipkinUtf8[z + 1] = (byte) 0xc3;
    rows.add(new Row("Zipkin: invalid UTF-8 in the name", Via.ZIPKIN, "application/json",
            zipkinUtf8)
        .answers(202, "").counts(zipkinStored, 1).stores(id(8, 0x55),
            s -> assertThat(s.get("name").asText()).isEqualTo("\ufffd\ufffd")));
    rows.add(zipkin("Zipkin: timestamp in year 9999", "application/json",
            "[{\"traceId\":\"5656565656565656\",\"id\":\"0102030405060708\",\"name\":\"y9999\","
                + "\"timestamp\":253402300799000000,\"duration\":1}]")
        // Microseconds past year 2262 do not fit in nanoseconds: refused, not wrapped.
        .answers(400, "timestamp 253402300799000000").counts(zipkinInvalid, 1)
        .storesNothing(id(8, 0x56)));
    rows.add(zipkin("Zipkin: timestamp in year 1", "application/json",
            "[{\"traceId\":\"5757575757575757\",\"id\":\"0102030405060708\",\"name\":\"y1\","
                + "\"timestamp\":-62135596800000000,\"duration\":1}]")
        .answers(202, "").counts(zipkinStored, 1).stores(id(8, 0x57),
            s -> assertThat(s.get("startTimeUnixNano").asLong()).isZero()));

    // Read API
    rows.add(new Row("read API: malformed trace id", Via.QUERY, null,
            "/api/v1/traces/xyz".getBytes(StandardCharsets.UTF_8))
        .answers(400, "32 hex digits"));
    rows.add(new Row("read API: unknown trace id", Via.QUERY, null,
            "/api/v1/traces/0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8))
        .answers(404, "not found"));

    // Raw HTTP/1.1
    rows.add(raw("Content-Length of 1 GiB, 3 bytes sent", """
        POST /v1/traces HTTP/1.1\r
        Host: 127.0.0.1\r
        Content-Type: application/x-protobuf\r
        Content-Length: 1073741824\r
        \r
        abc""").answers(413, "connection: close"));
    rows.add(raw("chunk claiming 1 GiB, 3 bytes sent", """
        POST /v1/traces HTTP/1.1\r
        Host: 127.0.0.1\r
        Content-Type: application/x-protobuf\r
        Transfer-Encoding: chunked\r
        \r
        40000000\r
        abc""").answers(408, "connection: close"));
    // RFC 9112 allows going by Transfer-Encoding alone, but asks to close the connection after;
    // Netty drops the Content-Length before Armeria sees the request, and keeps it open.
    rows.add(raw("Content-Length and Transfer-Encoding both (request smuggling)", """
        POST /v1/traces HTTP/1.1\r
        Host: 127.0.0.1\r
        Content-Type: application/x-protobuf\r
        Content-Length: 3\r
        Transfer-Encoding: chunked\r
        \r
        0\r
        \r
        """).answers(200, "").counts(otlpStored, 1));
    rows.add(raw("64 KiB header", "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        + "b".repeat(64 * 1024) + "\r\nContent-Length: 0\r\n\r\n").answers(431, ""));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void hostileRequestGetsItsAnswer(Row row) throws Exception {
    Map<String, Double> before = counters();
    Answer answer = send(row);
    assertThat(answer.code()).as("answer to: %s (%s)", row.name, answer.message())
        .isEqualTo(row.answer);
    assertThat(answer.message()).as("message of the answer to: %s", row.name)
        .contains(row.says);
    assertThat(changes(before, counters())).as("counters moved by: %s", row.name)
        .isEqualTo(row.counts);
    for (Map.Entry<String, Consumer<JsonNode>> stored : row.stored.entrySet()) {
      HttpResponse<String> trace = get(server.queryPort(), "/api/v1/traces/" + stored.getKey());
      if (stored.getValue() == null) {
        assertThat(trace.statusCode()).as("stored by: %s", row.name).isEqualTo(404);
      } else {
        assertThat(trace.statusCode()).as("stored by: %s", row.name).isEqualTo(200);
        JsonNode spans = JSON.readTree(trace.body()).get("spans");
        assertThat(spans).as("stored by: %s", row.name).hasSize(1);
        stored.getValue().accept(spans.get(0));
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Connections

  @Test
  void slowUploadIsCutOffWhileOthersAreServed() throws Exception {
    long start = System.nanoTime();
    try (Socket loris = new Socket("127.0.0.1", server.otlpHttpPort())) {
      OutputStream out = loris.getOutputStream();
      out.write(("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread trickler = Thread.ofVirtual().start(() -> {
        try {
          while (true) {
            out.write('x');
            out.flush();
            Thread.sleep(300);
          }
        } catch (IOException | InterruptedException e) {
          // cut off, or the test is over
        }
      });
      try {
        assertServedPromptly();
        loris.setSoTimeout((int) (REQUEST_TIMEOUT.toMillis() + 15_000));
        String answer = new String(loris.getInputStream().readAllBytes(),
            StandardCharsets.US_ASCII);
        Duration cutAfter = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout")
            .contains("connection: close");
        assertThat(cutAfter).as("connection closed after")
            .isBetween(REQUEST_TIMEOUT, REQUEST_TIMEOUT.plusSeconds(10));
      } finally {
        trickler.interrupt();
      }
    }
  }

  @Test
  void idleConnectionsDoNotStopOthersBeingServed() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        idle.add(new Socket("127.0.0.1", server.otlpHttpPort()));
        idle.add(new Socket("127.0.0.1", server.otlpGrpcPort()));
      }
      assertServedPromptly();
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void rapidResetFloodGetsGoAway() throws Exception {
    try (RawHttp2Connection flood = new RawHttp2Connection(server.otlpGrpcPort(), true)) {
      byte[] headers = exportHeaders();
      try {
        for (int stream = 1; stream < 2 * 5000; stream += 2) {
          flood.frame(HEADERS, END_HEADERS, stream, headers);
          flood.rstStream(stream, 0x8); // CANCEL
        }
        flood.flush();
      } catch (IOException e) {
        // the server closed the connection before the flood was sent
      }
      assertThat(flood.awaitClosed(Duration.ofSeconds(10))).as("connection closed").isTrue();
      assertThat(flood.goAwayCode()).as("GOAWAY %s", flood.goAwayDebug())
          .isEqualTo(0xb); // ENHANCE_YOUR_CALM
      assertThat(flood.goAwayDebug()).contains("RST frames");
    }
    assertServedPromptly();
  }

  @Test
  void streamFloodWithoutSettingsAckIsCappedAndGetsGoAway() throws Exception {
    int sent = 10_000;
    try (RawHttp2Connection flood = new RawHttp2Connection(server.otlpGrpcPort(), false)) {
      byte[] headers = exportHeaders();
      for (int i = 0; i < sent; i++) {
        flood.frame(HEADERS, END_HEADERS, 1 + 2 * i, headers); // a body that never comes
      }
      flood.flush();
      assertServedPromptly();
      assertThat(RawHttp2Connection.await(REQUEST_TIMEOUT.plusSeconds(15),
          () -> flood.responses() + flood.resets(0x7) >= sent))
          .as("every stream answered or refused: %s responses, resets %s", flood.statuses,
              flood.resets).isTrue();
      assertThat(flood.goAwayCode()).as("GOAWAY").isZero();
      assertThat(flood.responses("429")).as("refused by the stream cap").isPositive();
      assertThat(flood.responses() - flood.responses("429"))
          .as("streams held until the request timeout").isLessThanOrEqualTo(MAX_OPEN_STREAMS);
    }
    assertServedPromptly();
  }

  @Test
  void streamFloodAfterSettingsAckIsRefusedBeyondTheAdvertisedLimit() throws Exception {
    int sent = 5_000;
    try (RawHttp2Connection flood = new RawHttp2Connection(server.otlpGrpcPort(), true)) {
      byte[] headers = exportHeaders();
      for (int i = 0; i < sent; i++) {
        flood.frame(HEADERS, END_HEADERS, 1 + 2 * i, headers);
      }
      flood.flush();
      assertThat(RawHttp2Connection.await(REQUEST_TIMEOUT.plusSeconds(15),
          () -> flood.responses() + flood.resets(0x7) >= sent))
          .as("every stream answered or refused: %s responses, resets %s", flood.statuses,
              flood.resets).isTrue();
      assertThat(flood.serverSettings).containsEntry(SETTINGS_MAX_CONCURRENT_STREAMS, 256L);
      assertThat(flood.resets(0x7)).as("REFUSED_STREAM").isGreaterThanOrEqualTo(sent - 256);
      assertThat(flood.responses()).as("streams held until the request timeout")
          .isLessThanOrEqualTo(256);
    }
    assertServedPromptly();
  }

  @Test
  void endlessContinuationFramesGetGoAway() throws Exception {
    try (RawHttp2Connection flood = new RawHttp2Connection(server.otlpGrpcPort(), true)) {
      flood.frame(HEADERS, 0, 1, exportHeaders());
      byte[] more = RawHttp2Connection.headerBlock("x-junk", "j".repeat(100));
      try {
        for (int i = 0; i < 100_000 && !flood.awaitClosed(Duration.ZERO); i++) {
          flood.frame(CONTINUATION, 0, 1, more);
        }
        flood.flush();
      } catch (IOException e) {
        // the server closed the connection before the flood was sent
      }
      assertThat(flood.awaitClosed(Duration.ofSeconds(10))).as("connection closed").isTrue();
      assertThat(flood.goAwayCode()).as("GOAWAY %s", flood.goAwayDebug())
          .isEqualTo(0x1); // PROTOCOL_ERROR
      assertThat(flood.goAwayDebug()).contains("Header size exceeded");
    }
    assertServedPromptly();
  }

  /** Normal OTLP/HTTP and OTLP/gRPC exports, each answered within {@link #PROMPTLY}. */
  private static void assertServedPromptly() throws Exception {
    long start = System.nanoTime();
    byte[] trace = id(16, 0x60 + (int) (start & 0x0f));
    assertThat(post(server.otlpHttpPort(), "/v1/traces", "application/x-protobuf",
        request("normal", span(trace, id(8, 1), "normal")).toByteArray()).statusCode())
        .isEqualTo(200);
    assertThat(exportOverGrpc(trace)).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
  }

  /** A normal gRPC export of one span; the gRPC status code. */
  private static int exportOverGrpc(byte[] trace) {
    return grpcCall(grpcFrame(request("normal", span(trace, id(8, 2), "normal over gRPC"))
        .toByteArray()), List.of(), false, PROMPTLY).code();
  }

  private static byte[] exportHeaders() {
    return RawHttp2Connection.headerBlock(":method", "POST", ":scheme", "http", ":path", EXPORT,
        ":authority", "127.0.0.1:" + server.otlpGrpcPort(), "content-type", "application/grpc",
        "te", "trailers");
  }

  /** Sends headers a byte every 300 ms and never ends them; how long until the server hung up. */
  private static Duration trickleHeaders() {
    long start = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", server.otlpHttpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
          .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(300);
      InputStream in = socket.getInputStream();
      while (Duration.ofNanos(System.nanoTime() - start).compareTo(IDLE_TIMEOUT.multipliedBy(3))
          < 0) {
        out.write('z');
        out.flush();
        try {
          if (in.read() < 0) {
            break;
          }
          throw new AssertionError("answered a request whose headers never ended");
        } catch (SocketTimeoutException e) {
          // still open
        }
      }
    } catch (IOException e) {
      // reset by the server
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  // ---------------------------------------------------------------------------------------
  // Sending a row

  /** Where a row's request goes. */
  enum Via {
    OTLP_HTTP,
    OTLP_GRPC,
    ZIPKIN,
    /** A GET on the query port; the body is the path. */
    QUERY,
    /** Bytes written as they are to the OTLP/HTTP port. */
    RAW_HTTP1
  }

  /** One case of the table. */
  static final class Row {
    final String name;
    final Via via;
    final String contentType;
    final byte[] body;
    final List<String> headers = new ArrayList<>();
    boolean unfinished;
    int answer;
    String says = "";
    final Map<String, Integer> counts = new TreeMap<>();
    /** By trace id in hex: the check of its one stored span, or null for "nothing stored". */
    final Map<String, Consumer<JsonNode>> stored = new LinkedHashMap<>();

    Row(String name, Via via, String contentType, byte[] body, String... headers) {
      this.name = name;
      this.via = via;
      this.contentType = contentType;
      this.body = body;
      this.headers.addAll(List.of(headers));
    }

    /** The HTTP status, or for gRPC the status code, and a fragment of the message. */
    Row answers(int code, String fragment) {
      this.answer = code;
      this.says = fragment;
      return this;
    }

    /** The request stream is left open after the body, as if the rest never came. */
    Row unfinished() {
      this.unfinished = true;
      return this;
    }

    /** Counters and how much this request moves them; every other one stays. */
    Row counts(Object... seriesAndDeltas) {
      for (int i = 0; i < seriesAndDeltas.length; i += 2) {
        counts.put((String) seriesAndDeltas[i], (Integer) seriesAndDeltas[i + 1]);
      }
      return this;
    }

    Row stores(byte[] traceId, Consumer<JsonNode> span) {
      stored.put(hex(traceId), span);
      return this;
    }

    Row storesNothing(byte[] traceId) {
      stored.put(hex(traceId), null);
      return this;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private record Answer(int code, String message) {}

  private static Answer send(Row row) throws Exception {
    return switch (row.via) {
      case OTLP_HTTP -> {
        HttpResponse<byte[]> r = post(server.otlpHttpPort(), "/v1/traces", row.contentType,
            row.body, row.headers.toArray(String[]::new));
        yield new Answer(r.statusCode(), otlpMessage(r));
      }
      case ZIPKIN -> {
        HttpResponse<byte[]> r = post(server.zipkinPort(), "/api/v2/spans", row.contentType,
            row.body);
        yield new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      }
      case QUERY -> {
        HttpResponse<String> r = get(server.queryPort(),
            new String(row.body, StandardCharsets.UTF_8));
        yield new Answer(r.statusCode(), r.body());
      }
      case OTLP_GRPC -> grpcCall(row.body, row.headers, row.unfinished, Duration.ofSeconds(30));
      case RAW_HTTP1 -> raw(row.body);
    };
  }

  /** The message of an OTLP/HTTP answer: the Status or partial success message, else the body. */
  private static String otlpMessage(HttpResponse<byte[]> r) throws IOException {
    String type = r.headers().firstValue("content-type").orElse("");
    if (!type.contains("protobuf")) {
      return new String(r.body(), StandardCharsets.UTF_8);
    }
    if (r.statusCode() == 200) {
      return ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess().getErrorMessage();
    }
    Status status = Status.parseFrom(r.body());
    assertThat(status.getCode()).as("google.rpc.Status code").isEqualTo(3);
    return status.getMessage();
  }

  private static Answer grpcCall(byte[] body, List<String> headers, boolean unfinished,
      Duration timeout) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, EXPORT)
        .contentType(MediaType.parse("application/grpc")).add("te", "trailers");
    for (int i = 0; i < headers.size(); i += 2) {
      h.add(headers.get(i), headers.get(i + 1));
    }
    HttpRequest request;
    if (unfinished) {
      HttpRequestWriter open = HttpRequest.streaming(h.build());
      open.write(HttpData.wrap(body));
      request = open;
    } else {
      request = HttpRequest.of(h.build(), HttpData.wrap(body));
    }
    AggregatedHttpResponse r = grpc.execute(request,
        RequestOptions.builder().responseTimeout(timeout).build()).aggregate().join();
    HttpHeaders status = r.trailers().contains("grpc-status") ? r.trailers() : r.headers();
    int code = Integer.parseInt(status.get("grpc-status", "-1"));
    String message = percentDecode(status.get("grpc-message", ""));
    if (code == 0) {
      try {
        byte[] framed = r.content().array();
        message = ExportTraceServiceResponse.parseFrom(Arrays.copyOfRange(framed, 5,
            framed.length)).getPartialSuccess().getErrorMessage();
      } catch (IOException e) {
        throw new AssertionError("unparseable response", e);
      }
    }
    return new Answer(code, message);
  }

  /** Writes a raw HTTP/1.1 request; the status and the whole answer up to 64 KiB. */
  private static Answer raw(byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.otlpHttpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while (answer.size() < 65536 && (n = in.read(buf)) > 0) {
        answer.write(buf, 0, n);
        if (answer.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
          break; // the headers are enough
        }
      }
      String text = answer.toString(StandardCharsets.US_ASCII);
      Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(text);
      return new Answer(status.find() ? Integer.parseInt(status.group(1)) : -1, text);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Counters

  private static final Pattern SERIES = Pattern.compile(
      "^(strand_receiver_requests_total|strand_limit_hits_total)\\{([^}]*)} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  static String requests(String protocol, String outcome) {
    return "strand_receiver_requests_total{outcome=" + outcome + ",protocol=" + protocol + "}";
  }

  static String limit(String key) {
    return "strand_limit_hits_total{limit=" + key + "}";
  }

  /** Request and limit counters, as {@code name{label=value,...}} with labels sorted. */
  private static Map<String, Double> counters() {
    Map<String, Double> values = new HashMap<>();
    for (String line : get(server.queryPort(), "/metrics").body().split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (m.matches()) {
        Map<String, String> labels = new TreeMap<>();
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
        StringBuilder key = new StringBuilder(m.group(1)).append('{');
        labels.forEach((k, v) -> key.append(key.charAt(key.length() - 1) == '{' ? "" : ",")
            .append(k).append('=').append(v));
        values.put(key.append('}').toString(), Double.parseDouble(m.group(3)));
      }
    }
    return values;
  }

  private static Map<String, Integer> changes(Map<String, Double> before,
      Map<String, Double> after) {
    Set<String> series = new HashSet<>(before.keySet());
    series.addAll(after.keySet());
    Map<String, Integer> changed = new TreeMap<>();
    for (String s : series) {
      int delta = (int) Math.round(after.getOrDefault(s, 0.0) - before.getOrDefault(s, 0.0));
      if (delta != 0) {
        changed.put(s, delta);
      }
    }
    return changed;
  }

  // ---------------------------------------------------------------------------------------
  // Building requests

  private static Row otlp(String name, byte[] protobuf, String... headers) {
    return new Row(name, Via.OTLP_HTTP, "application/x-protobuf", protobuf, headers);
  }

  private static Row otlpJson(String name, String json, String... headers) {
    return new Row(name, Via.OTLP_HTTP, "application/json",
        json.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static Row grpc(String name, byte[] framed, String... headers) {
    return new Row(name, Via.OTLP_GRPC, null, framed, headers);
  }

  private static Row zipkin(String name, String type, String body) {
    return new Row(name, Via.ZIPKIN, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Row raw(String name, String request) {
    return new Row(name, Via.RAW_HTTP1, null, request.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  static byte[] grpcFrame(byte[] message) {
    return grpcFrame(0, message.length, message);
  }

  /** A gRPC length-prefixed message: compressed flag, declared length, then the payload. */
  static byte[] grpcFrame(int compressed, int declaredLength, byte[] payload) {
    return ByteBuffer.allocate(5 + payload.length).put((byte) compressed).putInt(declaredLength)
        .put(payload).array();
  }

  private static KeyValue.Builder attribute(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value);
  }

  /** The span with an attribute of a string inside {@code depth} arrays, and one flat one. */
  private static Span nestedAttribute(Span span, int depth) {
    AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < depth; i++) {
      value = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value))
          .build();
    }
    return span.toBuilder().addAttributes(KeyValue.newBuilder().setKey("deep").setValue(value))
        .addAttributes(attribute("flat", AnyValue.newBuilder().setIntValue(1))).build();
  }

  private static String nestedJsonValue(int depth) {
    String value = "{\"stringValue\":\"leaf\"}";
    for (int i = 0; i < depth; i++) {
      value = "{\"arrayValue\":{\"values\":[" + value + "]}}";
    }
    return value;
  }

  /** An OTLP JSON request of one span of trace {@code fill}, with more fields. */
  private static String spanJson(int fill, String fields) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
        + hex(id(16, fill)) + "\",\"spanId\":\"0102030405060708\",\"name\":\"json\","
        + fields + "}]}]}]}";
  }

  private static ExportTraceServiceRequest manySpans(int count) {
    Span[] spans = new Span[count];
    for (int i = 0; i < count; i++) {
      spans[i] = span(id(16, 0x48), ByteBuffer.allocate(8).putLong(i + 1).array(), "s");
    }
    return request("many", spans);
  }

  /** A request whose span name (field 5 of Span) is 0xC3 0x28 0xFF: not UTF-8. */
  private static byte[] invalidUtf8Name(byte[] traceId) {
    byte[] b = request("svc", span(traceId, id(8, 1), "AAA")).toByteArray();
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("AAA");
    b[at] = (byte) 0xc3;
    b[at + 1] = (byte) 0x28;
    b[at + 2] = (byte) 0xff;
    return b;
  }

  /** A valid request but for a span whose name claims to be 1 GiB long. */
  private static byte[] claimGibInsideSpan() {
    byte[] b = request("svc", span(id(16, 0x38), id(8, 1), "AAA")).toByteArray();
    int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("AAA");
    assertThat(b[at - 1]).isEqualTo((byte) 3); // the name's one-byte length
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b, 0, at - 1);
    out.writeBytes(bytes(0x80, 0x80, 0x80, 0x80, 0x04)); // 2^30 as a varint
    out.write(b, at, b.length - at);
    return out.toByteArray();
  }

  private static byte[] gzipBomb() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        gz.write(zeros);
      }
    }
    assertThat(compressed.size()).isLessThan(1 << 20);
    return compressed.toByteArray();
  }

  // ---------------------------------------------------------------------------------------
  // Plumbing

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static HttpResponse<byte[]> post(int port, String path, String type, byte[] body,
      String... headers) throws IOException, InterruptedException {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
            TestServers.uri(port, path))
        .timeout(Duration.ofSeconds(30)).POST(java.net.http.HttpRequest.BodyPublishers
            .ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> get(int port, String path) {
    return TestServers.get(port, path);
  }

  /** gRPC's percent-encoding of grpc-message (not URL encoding: '+' is a plus). */
  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
