package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One simulated service's own OpenTelemetry SDK: resource, batch processor, exporter and
 * propagator. Nothing is shared between services except the simulated clock.
 */
final class ServiceTelemetry {
  static final String NAMESPACE = "shop";
  static final String ENVIRONMENT = "production";

  /**
   * Instrumentation scopes named after the OpenTelemetry Java agent's libraries, so the demo data
   * looks like what auto-instrumented services send.
   */
  enum Scope {
    HTTP_SERVER("io.opentelemetry.armeria-1.3"),
    HTTP_CLIENT("io.opentelemetry.java-http-client"),
    GRPC("io.opentelemetry.grpc-1.6"),
    JDBC("io.opentelemetry.jdbc"),
    REDIS("io.opentelemetry.lettuce-5.1"),
    KAFKA("io.opentelemetry.kafka-clients-2.6"),
    GEN_AI("io.opentelemetry.openai-java-1.1"),
    /** Hand-written spans of the application itself; versioned with the service. */
    APP("io.strand.demo");

    final String scopeName;

    Scope(String scopeName) {
      this.scopeName = scopeName;
    }
  }

  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      (carrier, key) -> carrier == null ? null : carrier.get(key);

  private final String name;
  private final String podIp;
  private final OpenTelemetrySdk sdk;
  private final TextMapPropagator propagator;
  private final Map<Scope, Tracer> tracers = new EnumMap<>(Scope.class);

  private ServiceTelemetry(String name, String podIp, OpenTelemetrySdk sdk) {
    this.name = name;
    this.podIp = podIp;
    this.sdk = sdk;
    this.propagator = sdk.getPropagators().getTextMapPropagator();
  }

  /** Builds a fresh SDK for {@code name}; the exporter is owned (and shut down) by it. */
  static ServiceTelemetry create(
      String name, String version, Sim sim, SpanExporter exporter) {
    String pod = sim.podName(name);
    String podIp = sim.podIp();
    String instanceId = new UUID(sim.nextLong(), sim.nextLong()).toString();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        .put(SERVICE_NAME, name)
                        .put(SERVICE_NAMESPACE, NAMESPACE)
                        .put(SERVICE_VERSION, version)
                        .put(SERVICE_INSTANCE_ID, instanceId)
                        // Old and new keys: backends in the wild read either one.
                        .put(DEPLOYMENT_ENVIRONMENT, ENVIRONMENT)
                        .put(DEPLOYMENT_ENVIRONMENT_NAME, ENVIRONMENT)
                        .put(HOST_NAME, pod)
                        .put(HOST_ARCH, "amd64")
                        .put(OS_TYPE, "linux")
                        .put(K8S_NAMESPACE_NAME, NAMESPACE)
                        .put(K8S_DEPLOYMENT_NAME, name)
                        .put(K8S_POD_NAME, pod)
                        .put(CLOUD_PROVIDER, "aws")
                        .put(CLOUD_REGION, "eu-west-1")
                        .build()));
    BatchSpanProcessor processor =
        BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(Duration.ofMillis(500))
            // Deep N+1 traces are ~80 spans; a generous queue avoids drops when tests (or a high
            // rate) produce spans faster than one export round-trip.
            .setMaxQueueSize(32_768)
            .setMaxExportBatchSize(512)
            .setExporterTimeout(Duration.ofSeconds(10))
            .build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setClock(sim.clock())
            .addSpanProcessor(processor)
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    ServiceTelemetry telemetry = new ServiceTelemetry(name, podIp, sdk);
    for (Scope scope : Scope.values()) {
      var builder = sdk.getTracerProvider().tracerBuilder(scope.scopeName);
      if (scope == Scope.APP) {
        builder.setInstrumentationVersion(version);
      }
      telemetry.tracers.put(scope, builder.build());
    }
    return telemetry;
  }

  String name() {
    return name;
  }

  /** The service's pod address, used as the peer address seen by services it calls. */
  String podIp() {
    return podIp;
  }

  /** Starts a span builder with the given kind, parent and explicit start time. */
  SpanBuilder span(Scope scope, String spanName, SpanKind kind, Context parent, long startNanos) {
    return tracers
        .get(scope)
        .spanBuilder(spanName)
        .setSpanKind(kind)
        .setParent(parent)
        .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS);
  }

  /** Writes {@code context}'s span context into {@code carrier} as W3C headers. */
  void inject(Context context, Map<String, String> carrier) {
    propagator.inject(context, carrier, Map::put);
  }

  /** Reads W3C headers from {@code carrier}; a root context if there are none. */
  Context extract(Map<String, String> carrier) {
    return propagator.extract(Context.root(), carrier, MAP_GETTER);
  }

  CompletableResultCode forceFlush() {
    return sdk.getSdkTracerProvider().forceFlush();
  }

  CompletableResultCode shutdown() {
    return sdk.shutdown();
  }
}
