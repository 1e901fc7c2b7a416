package io.strand.server.overload;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.strand.server.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One sender thread with its own real OpenTelemetry SDK exporter (OTLP/gRPC or OTLP/HTTP
 * protobuf, retry enabled), calling {@code export} back to back, without pauses, until a deadline.
 * Every batch is one new trace, so what the SDK reported of each export can be checked trace by
 * trace: a batch the SDK reports exported must be stored whole.
 */
final class SdkSender implements Runnable {
  /** Attribute keys of the spans; about what an HTTP or database span of a real service has. */
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> PEER = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> AGENT = AttributeKey.stringKey("user_agent.original");
  private static final AttributeKey<String> DB = AttributeKey.stringKey("db.system");
  private static final AttributeKey<String> STATEMENT = AttributeKey.stringKey("db.query.text");
  private static final AttributeKey<Long> THREAD = AttributeKey.longKey("thread.id");
  private static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("cache.hit");
  private static final AttributeKey<Double> WEIGHT = AttributeKey.doubleKey("sampling.weight");
  private static final String[] ROUTES = {"/api/cart", "/api/checkout", "/api/products/{id}",
      "/api/users/{id}/orders", "/health", "/api/search"};
  private static final String[] OPERATIONS = {"GET /api/cart", "POST /api/checkout",
      "SELECT products", "redis GET", "render template", "kafka publish orders"};

  enum Protocol {
    GRPC("otlp-grpc"),
    HTTP("otlp-http");

    final String label;

    Protocol(String label) {
      this.label = label;
    }
  }

  /** A batch the SDK reported exported: its trace, all of whose spans must be stored. */
  record ExportedTrace(String traceId, int spans) {}

  private final int index;
  private final Protocol protocol;
  private final String runPrefix;
  private final int spansPerBatch;
  private final long deadlineNanos;
  private final Duration joinBound;
  private final SpanExporter exporter;
  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final List<ExportedTrace> exported = new CopyOnWriteArrayList<>();
  private final List<String> failedTraces = new CopyOnWriteArrayList<>();
  private final List<String> unresolvedTraces = new CopyOnWriteArrayList<>();
  private volatile long attemptedBatches;
  private volatile long exportNanosTotal;
  private volatile long exportNanosMax;
  private volatile Throwable crash;

  /**
   * @param runPrefix 8 hex digits starting every trace id of this run
   * @param exportTimeout the exporter's timeout, which bounds an export with all its retries
   * @param retry the exporter's retry policy
   */
  SdkSender(int index, Protocol protocol, ServerProcess server, String runPrefix,
      int spansPerBatch, long deadlineNanos, Duration exportTimeout, RetryPolicy retry) {
    this.index = index;
    this.protocol = protocol;
    this.runPrefix = runPrefix;
    this.spansPerBatch = spansPerBatch;
    this.deadlineNanos = deadlineNanos;
    // the SDK completes a result when the timeout ends at the latest; wait a little longer
    this.joinBound = exportTimeout.plusSeconds(10);
    this.exporter = switch (protocol) {
      case GRPC -> OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
          .setTimeout(exportTimeout).setRetryPolicy(retry).build();
      case HTTP -> OtlpHttpSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces")
          .setTimeout(exportTimeout).setRetryPolicy(retry).build();
    };
    this.resource = Resource.create(Attributes.builder()
        .put("service.name", "overload-" + protocol.label + "-" + index)
        .put("service.version", "2.3.1")
        .put("service.instance.id", "instance-" + index)
        .put("host.name", "load-host-" + index)
        .put("telemetry.sdk.language", "java")
        .build());
    this.scope = InstrumentationScopeInfo.builder("io.strand.overload").setVersion("1.0.0")
        .build();
  }

  @Override
  public void run() {
    try {
      long seq = 0;
      while (System.nanoTime() < deadlineNanos) {
        String traceId = String.format("%s%08x%016x", runPrefix, index + 1, ++seq);
        List<SpanData> batch = batch(traceId, seq);
        attemptedBatches++;
        long start = System.nanoTime();
        CompletableResultCode result = exporter.export(batch);
        result.join(joinBound.toMillis(), TimeUnit.MILLISECONDS);
        long took = System.nanoTime() - start;
        exportNanosTotal += took;
        exportNanosMax = Math.max(exportNanosMax, took);
        if (!result.isDone()) {
          unresolvedTraces.add(traceId);
        } else if (result.isSuccess()) {
          exported.add(new ExportedTrace(traceId, batch.size()));
        } else {
          failedTraces.add(traceId);
        }
      }
    } catch (Throwable t) {
      crash = t;
    } finally {
      exporter.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** A new trace: a root and children up to 4 levels deep, each with about a dozen attributes. */
  private List<SpanData> batch(String traceId, long seq) {
    long now = System.currentTimeMillis() * 1_000_000L;
    List<String> spanIds = new ArrayList<>(spansPerBatch);
    List<SpanData> spans = new ArrayList<>(spansPerBatch);
    for (int i = 0; i < spansPerBatch; i++) {
      String spanId = String.format("%08x%08x", (int) seq ^ 0x5a5a5a5a, i + 1);
      spanIds.add(spanId);
      SpanContext parent = i == 0 ? SpanContext.getInvalid()
          : SpanContext.create(traceId, spanIds.get((i - 1) / 8), TraceFlags.getSampled(),
              TraceState.getDefault());
      int variant = (int) ((seq + i) % ROUTES.length);
      boolean error = (seq + i) % 17 == 0;
      Attributes attributes = Attributes.builder()
          .put(METHOD, i % 3 == 0 ? "POST" : "GET")
          .put(ROUTE, ROUTES[variant])
          .put(STATUS, error ? 503L : 200L)
          .put(URL, "https://shop.example.com" + ROUTES[variant] + "?page=" + (i % 50))
          .put(PEER, "backend-" + (i % 12) + ".svc.cluster.local")
          .put(PORT, 8080L + (i % 4))
          .put(AGENT, "Mozilla/5.0 (X11; Linux x86_64) overload-test/" + index)
          .put(DB, "postgresql")
          .put(STATEMENT, "SELECT id, name, price FROM products WHERE category = $1 LIMIT "
              + (10 + i % 90))
          .put(THREAD, (long) (i % 64))
          .put(CACHED, i % 2 == 0)
          .put(WEIGHT, 1.0 / (1 + i % 10))
          .build();
      long start = now - 1_000_000_000L + i * 1_000_000L;
      spans.add(TestSpanData.builder()
          .setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(),
              TraceState.getDefault()))
          .setParentSpanContext(parent)
          .setResource(resource)
          .setInstrumentationScopeInfo(scope)
          .setName(OPERATIONS[variant])
          .setKind(i == 0 ? SpanKind.SERVER : i % 4 == 0 ? SpanKind.CLIENT : SpanKind.INTERNAL)
          .setStartEpochNanos(start)
          .setEndEpochNanos(start + 500_000L + (i % 7) * 100_000L)
          .setAttributes(attributes)
          .setTotalAttributeCount(attributes.size())
          .setEvents(List.of())
          .setTotalRecordedEvents(0)
          .setLinks(List.of())
          .setTotalRecordedLinks(0)
          .setStatus(error ? StatusData.create(StatusCode.ERROR, "upstream unavailable")
              : StatusData.unset())
          .setHasEnded(true)
          .build());
    }
    return spans;
  }

  Protocol protocol() {
    return protocol;
  }

  int index() {
    return index;
  }

  long attemptedBatches() {
    return attemptedBatches;
  }

  List<ExportedTrace> exported() {
    return List.copyOf(exported);
  }

  List<String> failedTraces() {
    return List.copyOf(failedTraces);
  }

  List<String> unresolvedTraces() {
    return List.copyOf(unresolvedTraces);
  }

  long exportMillisMax() {
    return TimeUnit.NANOSECONDS.toMillis(exportNanosMax);
  }

  long exportMillisMean() {
    return attemptedBatches == 0 ? 0
        : TimeUnit.NANOSECONDS.toMillis(exportNanosTotal / attemptedBatches);
  }

  /** What ended the thread other than its deadline, if anything. */
  Throwable crash() {
    return crash;
  }
}
