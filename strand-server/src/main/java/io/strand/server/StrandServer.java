package io.strand.server;

import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.netty.channel.EventLoopGroup;
import io.strand.pipeline.QueueBounds;
import io.strand.pipeline.SpanIngester;
import io.strand.pipeline.limits.SpanLimiter;
import io.strand.server.api.HealthApi;
import io.strand.query.TagCatalog;
import io.strand.query.TraceSearchService;
import io.strand.server.api.TraceApi;
import io.strand.server.api.TraceQlSearchApi;
import io.strand.server.api.jaeger.JaegerQueryApi;
import io.strand.server.api.tempo.TempoApi;
import io.strand.server.api.zipkin.ZipkinQueryApi;
import io.strand.server.config.StrandConfig;
import io.strand.server.metrics.MetricsService;
import io.strand.server.metrics.StrandMetrics;
import io.strand.server.receiver.IngestGate;
import io.strand.server.receiver.OtlpGrpcReceiver;
import io.strand.server.receiver.OtlpHttpReceiver;
import io.strand.server.receiver.ZipkinCollector;
import io.strand.storage.StorageComponent;
import io.strand.storage.rocksdb.RocksDbConfig;
import io.strand.storage.rocksdb.RocksDbStorage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole single-process server: the embedded store, the ingest pipeline, and one Armeria
 * server per port (OTLP/gRPC, OTLP/HTTP, Zipkin, query: own, Zipkin and Jaeger read APIs), all
 * sharing one event loop group. Tests start exactly this class, so the tested server is the
 * shipped one.
 */
public final class StrandServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StrandServer.class);
  /** In-flight requests get this long to finish on stop; new ones are refused at once. */
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  /** Searches over a large store may take long; uploads are bounded by their own key. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Concurrent HTTP/2 streams per connection, advertised in SETTINGS (Armeria's default is
   * unlimited) and enforced by {@link ConnectionGuard}, so one connection cannot park an
   * unbounded number of half-sent requests. OTLP exporters send a handful at a time.
   */
  static final int HTTP2_MAX_STREAMS = 256;
  /** RST_STREAMs a client may send per minute before its connection is closed (rapid reset). */
  private static final int HTTP2_MAX_RESETS_PER_MINUTE = 400;

  private final StorageComponent storage;
  private final SpanIngester ingester;
  private final EventLoopGroup eventLoops;
  private final Server otlpGrpc;
  private final Server otlpHttp;
  private final Server zipkin;
  private final Server query;
  private volatile boolean listening;

  private StrandServer(StrandConfig config, StorageComponent storage) {
    this.storage = storage;
    this.ingester = new SpanIngester(storage.spanWriter(), config.writerThreads(),
        new QueueBounds(config.queuedBatches(), config.queuedSpans(), config.queuedBytes()));
    SpanLimiter limiter = new SpanLimiter(config.limits());
    StrandMetrics metrics = new StrandMetrics(ingester, limiter);
    IngestGate gate = new IngestGate(ingester, limiter, metrics);
    this.eventLoops = EventLoopGroups.newEventLoopGroup(
        Math.max(2, Runtime.getRuntime().availableProcessors()));
    long max = config.maxRequestBytes();
    // Every service is wrapped itself rather than through ServerBuilder.decorator, whose route
    // decorators run only once a request's body is complete: too late to count open streams.
    ConnectionGuard guard = new ConnectionGuard();

    // The gRPC deframer checks each message's declared length against the limit and answers
    // RESOURCE_EXHAUSTED; an HTTP-level limit would cut the stream first with a bare INTERNAL.
    // Armeria would replace the request timeout with the client's grpc-timeout, or drop it when
    // there is none; a client must not be able to hold a call open that way.
    otlpGrpc = base(config, config.otlpGrpcPort(), 0, config.requestTimeout())
        .service(GrpcService.builder()
            .addService(OtlpGrpcReceiver.service(gate))
            .maxRequestMessageLength((int) Math.min(Integer.MAX_VALUE, max))
            .useClientTimeoutHeader(false)
            .exceptionHandler(GrpcDeframingErrors::unreadableGrpcMessage)
            .build(), guard)
        .build();
    otlpHttp = base(config, config.otlpHttpPort(), max, config.requestTimeout())
        .route().post("/v1/traces").decorator(guard).build(new OtlpHttpReceiver(gate, max))
        .build();
    ZipkinQueryApi zipkinQuery = new ZipkinQueryApi(storage);
    zipkin = base(config, config.zipkinPort(), max, config.requestTimeout())
        .route().post("/api/v2/spans").decorator(guard).build(new ZipkinCollector(gate, max))
        .annotatedService(zipkinQuery, guard)
        .build();
    TraceSearchService traceQl = new TraceSearchService(storage);
    TagCatalog tags = new TagCatalog(storage);
    query = base(config, config.queryPort(), max, QUERY_TIMEOUT)
        .annotatedService(new TraceApi(storage), guard)
        .annotatedService(new TraceQlSearchApi(traceQl, tags, Clock.systemUTC()), guard)
        .annotatedService("/tempo",
            new TempoApi(storage.traceReader(), traceQl, tags, Clock.systemUTC()), guard)
        .annotatedService("/zipkin", zipkinQuery, guard)
        .annotatedService("/jaeger", new JaegerQueryApi(storage), guard)
        .annotatedService(new HealthApi(storage, () -> listening), guard)
        .annotatedService(new MetricsService(metrics), guard)
        .build();
  }

  /**
   * Opens the store and starts listening on every port.
   *
   * @throws RuntimeException when the store cannot be opened or a port cannot be bound; nothing
   *     is left running then
   */
  public static StrandServer start(StrandConfig config) {
    return start(config, RocksDbStorage.open(RocksDbConfig.builder(config.dataDir())
        .retentionMaxAge(config.retentionMaxAge())
        .retentionMaxBytes(config.retentionMaxBytes())
        .retentionCheckInterval(config.retentionCheckInterval())
        .partitionLength(config.partitionLength())
        .sealedCompressionLevel(config.sealedCompressionLevel())
        .build()));
  }

  /**
   * Starts listening on a store the caller opened, for embedding and for tests that wrap the
   * store; the server owns it from now on and closes it on {@link #close()} or a failed start.
   */
  public static StrandServer start(StrandConfig config, StorageComponent storage) {
    StrandServer server;
    try {
      server = new StrandServer(config, storage);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    try {
      for (Server s : server.servers()) {
        s.start().join();
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    server.listening = true;
    LOG.info("Strand is listening: OTLP/gRPC :{}, OTLP/HTTP :{}, Zipkin :{}, query API :{}; data in {}",
        server.otlpGrpcPort(), server.otlpHttpPort(), server.zipkinPort(), server.queryPort(),
        config.dataDir().toAbsolutePath());
    return server;
  }

  private ServerBuilder base(StrandConfig config, int port, long maxRequestBytes,
      Duration requestTimeout) {
    return Server.builder()
        .http(new InetSocketAddress(config.bindAddress(), port))
        .workerGroup(eventLoops, false)
        .maxRequestLength(maxRequestBytes)
        .requestTimeout(requestTimeout)
        .http2MaxStreamsPerConnection(HTTP2_MAX_STREAMS)
        .http2MaxResetFramesPerWindow(HTTP2_MAX_RESETS_PER_MINUTE, 60)
        .gracefulShutdownTimeout(Duration.ZERO, SHUTDOWN_TIMEOUT);
  }

  private List<Server> servers() {
    return List.of(otlpGrpc, otlpHttp, zipkin, query);
  }

  public int otlpGrpcPort() {
    return otlpGrpc.activeLocalPort();
  }

  public int otlpHttpPort() {
    return otlpHttp.activeLocalPort();
  }

  public int zipkinPort() {
    return zipkin.activeLocalPort();
  }

  public int queryPort() {
    return query.activeLocalPort();
  }

  /** The store behind this server. */
  public StorageComponent storage() {
    return storage;
  }

  /**
   * Stops receivers first (all ports at once: each waits out Netty's quiet period), then finishes
   * queued writes, then closes the store.
   */
  @Override
  public void close() {
    listening = false;
    try {
      CompletableFuture.allOf(servers().stream().map(Server::stop)
          .toArray(CompletableFuture[]::new)).join();
    } catch (RuntimeException e) {
      LOG.warn("stopping a port failed: {}", e.toString());
    }
    ingester.close();
    storage.close();
    eventLoops.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
