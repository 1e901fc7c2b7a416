package io.strand.server.durability;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.strand.model.TraceId;
import io.strand.server.OtlpRequests;
import io.strand.server.ServerProcess;
import io.strand.server.TestServers;
import io.strand.server.durability.AcknowledgedSpans.SentTrace;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Sustained ingest into a running server: one thread per protocol sends requests back to back,
 * each request holding new traces, and records in an {@link AcknowledgedSpans} the traces of every
 * request the server acknowledged (OTLP 200 or gRPC OK, Zipkin 202). Refusals for overload or a
 * failed store (429, 503, RESOURCE_EXHAUSTED or UNAVAILABLE with a RetryInfo) are counted, not
 * acknowledged; any other answer while the server runs is {@link #unexpected()}.
 * {@link #killServer} SIGKILLs the server under this load; requests then in flight fail and are
 * not acknowledged, which is the point.
 */
final class SpanSenders implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** How each thread sends; each has its own service name, so searches can tell them apart. */
  enum Protocol {
    OTLP_HTTP_PROTOBUF("crash-otlp-http-protobuf"),
    OTLP_HTTP_JSON("crash-otlp-http-json"),
    OTLP_GRPC("crash-otlp-grpc"),
    ZIPKIN_JSON("crash-zipkin-json");

    final String service;

    Protocol(String service) {
      this.service = service;
    }
  }

  /** Every request holds {@code tracesPerRequest} new traces of {@code spansPerTrace} spans. */
  record Shape(int tracesPerRequest, int spansPerTrace) {}

  /** What one sender thread did. */
  record Tally(Protocol protocol, long requests, long acknowledged, long acknowledgedSpans,
      long refused, long unanswered) {}

  private final ServerProcess server;
  private final int run;
  private final Shape shape;
  private final AcknowledgedSpans ledger;
  private final ClientFactory grpcFactory = ClientFactory.builder().build();
  private final List<Sender> senders = new ArrayList<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final List<List<SentTrace>> unanswered = new CopyOnWriteArrayList<>();
  private final Object ackMonitor = new Object();
  private volatile boolean stopping;

  private SpanSenders(ServerProcess server, int run, Shape shape, AcknowledgedSpans ledger) {
    this.server = server;
    this.run = run;
    this.shape = shape;
    this.ledger = ledger;
  }

  /**
   * Starts one sender thread per protocol against {@code server}.
   *
   * @param run part of every trace id, so traces of different runs on one store never collide
   */
  static SpanSenders start(ServerProcess server, int run, Shape shape, AcknowledgedSpans ledger,
      Protocol... protocols) {
    if (run < 0 || run > 0xFFFF) {
      throw new IllegalArgumentException("run must fit in 16 bits: " + run);
    }
    SpanSenders load = new SpanSenders(server, run, shape, ledger);
    for (Protocol p : protocols) {
      load.senders.add(load.new Sender(p));
    }
    load.senders.forEach(s -> s.thread.start());
    return load;
  }

  /**
   * Waits until every sender has had at least {@code n} requests acknowledged; false on timeout
   * or once a sender met something unexpected.
   */
  boolean awaitEachAcknowledged(long n, Duration within) throws InterruptedException {
    return await(() -> senders.stream().allMatch(s -> s.acknowledged.get() >= n), within);
  }

  /**
   * Waits until {@code n} requests, of all senders together, are acknowledged; false on timeout
   * or once a sender met something unexpected.
   */
  boolean awaitAcknowledged(long n, Duration within) throws InterruptedException {
    return await(() -> senders.stream().mapToLong(s -> s.acknowledged.get()).sum() >= n, within);
  }

  private boolean await(BooleanSupplier done, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (ackMonitor) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !unexpected.isEmpty()) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(ackMonitor, left);
      }
      return true;
    }
  }

  /**
   * SIGKILLs the server while the senders run, waits until every sender has noticed and stopped,
   * and returns what each did.
   */
  List<Tally> killServer() throws InterruptedException {
    stopping = true;
    server.kill();
    joinSenders();
    return tallies();
  }

  /** Stops the senders, with the server still running, and returns what each did. */
  List<Tally> stop() throws InterruptedException {
    stopping = true;
    joinSenders();
    return tallies();
  }

  private List<Tally> tallies() {
    return senders.stream().map(Sender::tally).toList();
  }

  /**
   * Problems that are not the kill's doing: errors or unexpected answers while the server was
   * alive. Each such sender stopped at its first one.
   */
  List<String> unexpected() {
    return List.copyOf(unexpected);
  }

  /**
   * The traces of each request that got no answer because the server was killed: each may have
   * been stored whole, not at all or, were a batch not atomic, in part.
   */
  List<List<SentTrace>> unanswered() {
    return List.copyOf(unanswered);
  }

  private void recordUnexpected(String what) {
    unexpected.add(what);
    wakeWaiters();
  }

  private void wakeWaiters() {
    synchronized (ackMonitor) {
      ackMonitor.notifyAll();
    }
  }

  private void joinSenders() throws InterruptedException {
    for (Sender s : senders) {
      s.thread.join(TIMEOUT.toMillis() * 2);
      if (s.thread.isAlive()) {
        throw new IllegalStateException(s.protocol + " sender still running");
      }
    }
  }

  /** Stops the senders if still running and releases the gRPC client. */
  @Override
  public void close() {
    stopping = true;
    try {
      joinSenders();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      grpcFactory.close();
    }
  }

  private final class Sender implements Runnable {
    final Protocol protocol;
    final Thread thread;
    final TraceServiceGrpc.TraceServiceBlockingStub grpc;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong acknowledgedSpans = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unansweredRequests = new AtomicLong();

    Sender(Protocol protocol) {
      this.protocol = protocol;
      this.thread = new Thread(this, "sender-" + protocol);
      this.thread.setDaemon(true);
      this.grpc = protocol != Protocol.OTLP_GRPC ? null
          : GrpcClients.builder("http://127.0.0.1:" + server.otlpGrpcPort())
              .factory(grpcFactory)
              .responseTimeout(TIMEOUT)
              .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    }

    Tally tally() {
      return new Tally(protocol, requests.get(), acknowledged.get(), acknowledgedSpans.get(),
          refused.get(), unansweredRequests.get());
    }

    @Override
    public void run() {
      for (long seq = 0; !stopping; seq++) {
        List<SentTrace> traces = traces(seq);
        requests.incrementAndGet();
        Boolean stored;
        try {
          stored = send(traces);
        } catch (RuntimeException e) {
          if (stopping) {
            unansweredRequests.incrementAndGet();
            unanswered.add(traces);
          } else {
            recordUnexpected(protocol + " request " + seq + " failed while the server ran: " + e);
          }
          return;
        }
        if (stored == null) {
          return;
        } else if (stored) {
          ledger.add(traces);
          acknowledged.incrementAndGet();
          acknowledgedSpans.addAndGet((long) shape.tracesPerRequest() * shape.spansPerTrace());
          wakeWaiters();
        } else {
          refused.incrementAndGet();
        }
      }
    }

    /** The next request's traces: ids unique per run, protocol and sequence number. */
    private List<SentTrace> traces(long seq) {
      List<SentTrace> traces = new ArrayList<>(shape.tracesPerRequest());
      for (int t = 0; t < shape.tracesPerRequest(); t++) {
        long high = 0x5354_524E_0000_0000L | ((long) run << 16) | protocol.ordinal();
        long low = seq * shape.tracesPerRequest() + t + 1;
        List<String> spanIds = new ArrayList<>(shape.spansPerTrace());
        for (int s = 0; s < shape.spansPerTrace(); s++) {
          spanIds.add(HEX.toHexDigits(((long) protocol.ordinal() + 1) << 56 | low << 16 | s + 1));
        }
        traces.add(new SentTrace(new TraceId(high, low).toHex(), protocol.service, spanIds));
      }
      return traces;
    }

    /**
     * Sends one request: true when acknowledged, false when refused for overload or a failed
     * store, null after recording an unexpected answer.
     */
    private Boolean send(List<SentTrace> traces) {
      long startMicros = System.currentTimeMillis() * 1000;
      return switch (protocol) {
        case OTLP_HTTP_PROTOBUF -> http(server.otlpHttpPort(), "/v1/traces",
            "application/x-protobuf", otlp(traces, startMicros).toByteArray(), 200);
        case OTLP_HTTP_JSON -> http(server.otlpHttpPort(), "/v1/traces", "application/json",
            otlpJson(traces, startMicros), 200);
        case ZIPKIN_JSON -> http(server.zipkinPort(), "/api/v2/spans", "application/json",
            zipkinJson(traces, startMicros), 202);
        case OTLP_GRPC -> grpc(otlp(traces, startMicros));
      };
    }

    private Boolean http(int port, String path, String type, byte[] body, int stored) {
      HttpResponse<String> r = TestServers.post(port, path, type, body);
      if (r.statusCode() == stored) {
        boolean partial = type.endsWith("protobuf") ? !r.body().isEmpty()
            : r.body().contains("rejectedSpans");
        if (partial) {
          return unexpected("partial success " + r.body());
        }
        return true;
      }
      if (r.statusCode() == 429 || r.statusCode() == 503) {
        return false;
      }
      return unexpected("HTTP " + r.statusCode() + " " + r.body());
    }

    private Boolean grpc(ExportTraceServiceRequest request) {
      ExportTraceServiceResponse response;
      try {
        response = grpc.export(request);
      } catch (StatusRuntimeException e) {
        // The server's own refusals carry a RetryInfo; an UNAVAILABLE without one is the
        // client's: no server to talk to.
        Status.Code code = e.getStatus().getCode();
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if ((code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.UNAVAILABLE)
            && details != null && details.getDetailsCount() > 0) {
          return false;
        }
        throw e;
      }
      if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedSpans() > 0) {
        return unexpected("partial success " + response.getPartialSuccess());
      }
      return true;
    }

    private Boolean unexpected(String what) {
      if (!stopping) {
        recordUnexpected(protocol + ": " + what);
      }
      return null;
    }
  }

  private static ExportTraceServiceRequest otlp(List<SentTrace> traces, long startMicros) {
    List<Span> spans = new ArrayList<>();
    for (SentTrace t : traces) {
      byte[] traceId = TraceId.fromHex(t.traceId()).toBytes();
      for (int s = 0; s < t.spanIds().size(); s++) {
        Span.Builder span = OtlpRequests.span(traceId, HEX.parseHex(t.spanIds().get(s)), "op-" + s)
            .toBuilder()
            .setStartTimeUnixNano((startMicros + s) * 1000)
            .setEndTimeUnixNano((startMicros + s + 1000) * 1000);
        if (s > 0) {
          span.setParentSpanId(ByteString.copyFrom(HEX.parseHex(t.spanIds().get(0))));
        }
        spans.add(span.build());
      }
    }
    return OtlpRequests.request(traces.get(0).service(), spans.toArray(Span[]::new));
  }

  private static byte[] otlpJson(List<SentTrace> traces, long startMicros) {
    StringBuilder json = new StringBuilder("{\"resourceSpans\":[{\"resource\":{\"attributes\":[")
        .append("{\"key\":\"service.name\",\"value\":{\"stringValue\":\"")
        .append(traces.get(0).service()).append("\"}}]},\"scopeSpans\":[{\"spans\":[");
    String sep = "";
    for (SentTrace t : traces) {
      for (int s = 0; s < t.spanIds().size(); s++) {
        json.append(sep).append("{\"traceId\":\"").append(t.traceId())
            .append("\",\"spanId\":\"").append(t.spanIds().get(s)).append('"');
        if (s > 0) {
          json.append(",\"parentSpanId\":\"").append(t.spanIds().get(0)).append('"');
        }
        json.append(",\"name\":\"op-").append(s).append("\",\"kind\":2")
            .append(",\"startTimeUnixNano\":\"").append((startMicros + s) * 1000)
            .append("\",\"endTimeUnixNano\":\"").append((startMicros + s + 1000) * 1000)
            .append("\"}");
        sep = ",";
      }
    }
    return json.append("]}]}]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] zipkinJson(List<SentTrace> traces, long startMicros) {
    StringBuilder json = new StringBuilder("[");
    String sep = "";
    for (SentTrace t : traces) {
      for (int s = 0; s < t.spanIds().size(); s++) {
        json.append(sep).append("{\"traceId\":\"").append(t.traceId())
            .append("\",\"id\":\"").append(t.spanIds().get(s)).append('"');
        if (s > 0) {
          json.append(",\"parentId\":\"").append(t.spanIds().get(0)).append('"');
        }
        json.append(",\"name\":\"op-").append(s).append("\",\"kind\":\"SERVER\"")
            .append(",\"timestamp\":").append(startMicros + s).append(",\"duration\":1000")
            .append(",\"localEndpoint\":{\"serviceName\":\"").append(t.service())
            .append("\"}}");
        sep = ",";
      }
    }
    return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}
