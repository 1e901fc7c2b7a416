package io.strand.demo;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates realistic shop traffic and exports it over OTLP, one OpenTelemetry SDK per simulated
 * service (frontend, checkout, payment, fraud-check, inventory, shipping, recommendation).
 *
 * <p>Each request is a complete trace stamped with the current time. Durations are simulated
 * through explicit span timestamps rather than sleeps, so even slow requests cost microseconds to
 * generate. The traffic contains deliberately planted problems: N+1 database queries in
 * inventory, a slow fraud-check dependency behind payment, deep recursion in recommendation, and a
 * few percent of failed requests.
 *
 * <pre>{@code
 * try (DemoTraffic traffic = DemoTraffic.builder()
 *     .protocol(OtlpProtocol.HTTP_PROTOBUF)
 *     .requestsPerSecond(10)
 *     .build()) {
 *   traffic.start();
 *   Thread.sleep(60_000);
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are generated one at a time whether they come from {@link #start()}'s
 * scheduler or from {@link #runOnce()}.
 */
public final class DemoTraffic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final URI endpoint;
  private final OtlpProtocol protocol;
  private final double requestsPerSecond;
  private final long seed;
  private final Shop shop;
  private final AtomicLong requests = new AtomicLong();
  private final Object lock = new Object();
  // Guarded by lock.
  private ScheduledExecutorService scheduler;
  private boolean closed;

  /** Visible for tests: {@code exporters} maps a service name to that service's exporter. */
  DemoTraffic(Builder builder, Function<String, SpanExporter> exporters) {
    this.endpoint = builder.resolvedEndpoint();
    this.protocol = builder.protocol;
    this.requestsPerSecond = builder.requestsPerSecond;
    this.seed = builder.seed;
    this.shop = new Shop(new Sim(seed, new SimClock()), exporters);
  }

  /**
   * Returns a builder with defaults: gRPC to {@code http://127.0.0.1:4317}, 5 requests per second
   * and a random seed.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts generating requests at the configured rate on a single daemon thread.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("DemoTraffic is closed");
      }
      if (scheduler != null) {
        throw new IllegalStateException("DemoTraffic already started");
      }
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "strand-demo-traffic");
                thread.setDaemon(true);
                return thread;
              });
      long periodNanos = Math.max(1L, Math.round(TimeUnit.SECONDS.toNanos(1) / requestsPerSecond));
      scheduler.scheduleAtFixedRate(this::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
    }
    LOG.info("Sending demo traffic to {} via {} at {} req/s (seed {})", endpoint, protocol,
        requestsPerSecond, seed);
  }

  /**
   * Synchronously generates exactly one frontend request trace. Its spans are handed to the batch
   * processors and exported asynchronously.
   *
   * @throws IllegalStateException if closed
   */
  public void runOnce() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("DemoTraffic is closed");
      }
      shop.serveOne();
      requests.incrementAndGet();
    }
  }

  /**
   * Returns how many requests (traces) have been generated so far.
   *
   * @return the request count
   */
  public long requestsGenerated() {
    return requests.get();
  }

  /**
   * Returns the OTLP endpoint spans are sent to.
   *
   * @return the endpoint
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Returns the OTLP transport in use.
   *
   * @return the protocol
   */
  public OtlpProtocol protocol() {
    return protocol;
  }

  /**
   * Returns the seed driving every random choice (span ids are still random).
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Stops the scheduler, then flushes and shuts down every service's SDK. The whole close is
   * bounded by about ten seconds even when the endpoint is unreachable. Idempotent.
   */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      running = scheduler;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
    if (running != null) {
      running.shutdownNow();
      try {
        running.awaitTermination(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ServiceTelemetry> sdks = shop.telemetry();
    CompletableResultCode flushed =
        CompletableResultCode.ofAll(sdks.stream().map(ServiceTelemetry::forceFlush).toList())
            .join(remainingNanos(deadline), TimeUnit.NANOSECONDS);
    if (!flushed.isSuccess()) {
      LOG.warn("Not all demo spans could be exported to {}", endpoint);
    }
    // Shutdown gets at least a moment even if flushing used up the budget: it cancels
    // in-flight exports and stops the processor threads.
    CompletableResultCode.ofAll(sdks.stream().map(ServiceTelemetry::shutdown).toList())
        .join(Math.max(remainingNanos(deadline), TimeUnit.SECONDS.toNanos(1)),
            TimeUnit.NANOSECONDS);
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** Visible for tests: exports everything queued so far. */
  boolean forceFlush() {
    return CompletableResultCode.ofAll(
            shop.telemetry().stream().map(ServiceTelemetry::forceFlush).toList())
        .join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
        .isSuccess();
  }

  private void tick() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      // An exception would silently cancel the periodic task, so log and keep going.
      if (!isClosed()) {
        LOG.warn("Failed to generate a demo request", e);
      }
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private static Function<String, SpanExporter> otlpExporters(URI endpoint, OtlpProtocol protocol) {
    return service ->
        switch (protocol) {
          case GRPC ->
              OtlpGrpcSpanExporter.builder()
                  .setEndpoint(endpoint.toString())
                  .setTimeout(EXPORT_TIMEOUT)
                  .build();
          case HTTP_PROTOBUF ->
              OtlpHttpSpanExporter.builder()
                  .setEndpoint(endpoint.toString())
                  .setTimeout(EXPORT_TIMEOUT)
                  .build();
        };
  }

  /** Configures a {@link DemoTraffic}. Not thread-safe. */
  public static final class Builder {
    private URI endpoint;
    private OtlpProtocol protocol = OtlpProtocol.GRPC;
    private double requestsPerSecond = 5;
    private long seed = ThreadLocalRandom.current().nextLong();

    private Builder() {}

    /**
     * Sets the OTLP endpoint. For {@link OtlpProtocol#HTTP_PROTOBUF} an endpoint without a path
     * gets {@code /v1/traces} appended. Defaults to the protocol's
     * {@linkplain OtlpProtocol#defaultEndpoint() local endpoint}.
     *
     * @param endpoint an {@code http} or {@code https} URI, or {@code null} for the default
     * @return this builder
     */
    public Builder endpoint(URI endpoint) {
      if (endpoint != null) {
        String scheme = endpoint.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
          throw new IllegalArgumentException("endpoint must be http(s)://host:port: " + endpoint);
        }
      }
      this.endpoint = endpoint;
      return this;
    }

    /**
     * Sets the OTLP transport; defaults to {@link OtlpProtocol#GRPC}.
     *
     * @param protocol the transport
     * @return this builder
     */
    public Builder protocol(OtlpProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Sets the rate used by {@link DemoTraffic#start()}; defaults to 5.
     *
     * @param requestsPerSecond a positive rate, at most 10,000
     * @return this builder
     */
    public Builder requestsPerSecond(double requestsPerSecond) {
      if (!(requestsPerSecond > 0 && requestsPerSecond <= 10_000)) {
        throw new IllegalArgumentException(
            "requestsPerSecond must be in (0, 10000]: " + requestsPerSecond);
      }
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    /**
     * Sets the seed for request mix, durations and failures; defaults to a random one.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Creates the SDKs and OTLP exporters. Nothing is sent until {@link DemoTraffic#start()} or
     * {@link DemoTraffic#runOnce()}.
     *
     * @return a new, not yet started generator
     */
    public DemoTraffic build() {
      return new DemoTraffic(this, otlpExporters(resolvedEndpoint(), protocol));
    }

    private URI resolvedEndpoint() {
      if (endpoint == null) {
        return protocol.defaultEndpoint();
      }
      String path = endpoint.getPath();
      if (protocol == OtlpProtocol.HTTP_PROTOBUF && (path == null || path.isEmpty()
          || path.equals("/"))) {
        return endpoint.resolve("/v1/traces");
      }
      return endpoint;
    }
  }
}
