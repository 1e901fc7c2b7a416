package io.strand.server;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.Metadata;
import io.grpc.Status;
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
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.zip.ZipException;
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
  private static final int HTTP2_MAX_STREAMS = 256;
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
            .exceptionHandler(StrandServer::unreadableGrpcMessage)
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

  /**
   * INVALID_ARGUMENT for a gRPC message that Armeria's deframer cannot read, which Armeria would
   * answer with UNKNOWN and no message (gzip that does not inflate, a message shorter than its
   * length prefix) or with INTERNAL (compressed with an encoding it does not know). The size
   * limit's RESOURCE_EXHAUSTED and every other error keep Armeria's mapping.
   */
  private static Status unreadableGrpcMessage(RequestContext ctx, Status status, Throwable cause,
      Metadata metadata) {
    boolean deframing = Arrays.stream(cause.getStackTrace()).limit(5)
        .anyMatch(frame -> frame.getClassName().contains("Deframer"));
    if (!deframing
        || (status.getCode() != Status.Code.UNKNOWN && status.getCode() != Status.Code.INTERNAL)) {
      return null;
    }
    String why;
    if (cause instanceof IndexOutOfBoundsException) {
      why = "gRPC message is shorter than its length prefix";
    } else if (cause.getCause() instanceof ZipException zip) {
      why = "gRPC message is not valid gzip: " + zip.getMessage();
    } else {
      why = status.getDescription() != null ? status.getDescription() : cause.toString();
    }
    return Status.INVALID_ARGUMENT.withDescription(why);
  }

  /**
   * Bounds what one connection can hold, where Armeria alone does not; wraps every service.
   *
   * <ul>
   *   <li>An HTTP/1 request that times out (408, typically a body that never finishes arriving)
   *       closes its connection. Armeria would answer and go on reading the rest of the body, so
   *       a client trickling a byte now and then could hold the connection for good.
   *   <li>An HTTP/2 connection with more than twice {@link #HTTP2_MAX_STREAMS} requests open is
   *       sent GOAWAY, and the extra requests are refused with 429. Netty enforces the advertised
   *       SETTINGS_MAX_CONCURRENT_STREAMS only once the client acknowledges the SETTINGS, so a
   *       client that never does could otherwise open streams without end, each held until the
   *       request timeout. To see a request when its HEADERS arrive rather than once its body is
   *       complete, HTTP/2 requests reach the services as streams (they aggregate them anyway).
   * </ul>
   */
  private static final class ConnectionGuard implements Function<HttpService, HttpService> {
    private static final int MAX_OPEN_STREAMS = 2 * HTTP2_MAX_STREAMS;
    /** Open HTTP/2 requests by connection: its local and remote address. */
    private final ConcurrentHashMap<List<SocketAddress>, Integer> openStreams =
        new ConcurrentHashMap<>();

    @Override
    public HttpService apply(HttpService service) {
      return new SimpleDecoratingHttpService(service) {
        @Override
        public ExchangeType exchangeType(RoutingContext routingContext) {
          ExchangeType type = super.exchangeType(routingContext);
          return routingContext.sessionProtocol().isMultiplex()
              ? ExchangeType.of(true, type.isResponseStreaming()) : type;
        }

        @Override
        public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
          HttpResponse refused = admit(ctx);
          return refused != null ? refused : unwrap().serve(ctx, req);
        }
      };
    }

    /** Null when the request may go on to the service, else the answer refusing it. */
    private HttpResponse admit(ServiceRequestContext ctx) {
      if (!ctx.sessionProtocol().isMultiplex()) {
        ctx.whenRequestCancelling().thenAccept(cause -> {
          if (cause instanceof RequestTimeoutException) {
            ctx.initiateConnectionShutdown();
          }
        });
        return null;
      }
      List<SocketAddress> connection = List.of(ctx.localAddress(), ctx.remoteAddress());
      if (openStreams.merge(connection, 1, Integer::sum) > MAX_OPEN_STREAMS) {
        release(connection);
        ctx.initiateConnectionShutdown();
        return HttpResponse.of(HttpStatus.TOO_MANY_REQUESTS, MediaType.PLAIN_TEXT_UTF_8,
            "more than " + MAX_OPEN_STREAMS + " requests open on one connection");
      }
      ctx.log().whenComplete().thenRun(() -> release(connection));
      return null;
    }

    private void release(List<SocketAddress> connection) {
      openStreams.computeIfPresent(connection, (c, n) -> n == 1 ? null : n - 1);
    }
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
