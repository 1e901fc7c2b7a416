package io.strand.server;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Bounds what one connection can hold, where Armeria alone does not; wraps every service.
 *
 * <ul>
 *   <li>An HTTP/1 request that times out (408, typically a body that never finishes arriving)
 *       closes its connection. Armeria would answer and go on reading the rest of the body, so
 *       a client trickling a byte now and then could hold the connection for good.
 *   <li>An HTTP/2 connection with more than twice {@link StrandServer#HTTP2_MAX_STREAMS} requests
 *       open is
 *       sent GOAWAY, and the extra requests are refused with 429. Netty enforces the advertised
 *       SETTINGS_MAX_CONCURRENT_STREAMS only once the client acknowledges the SETTINGS, so a
 *       client that never does could otherwise open streams without end, each held until the
 *       request timeout. To see a request when its HEADERS arrive rather than once its body is
 *       complete, HTTP/2 requests reach the services as streams (they aggregate them anyway).
 * </ul>
 */
final class ConnectionGuard implements Function<HttpService, HttpService> {
  private static final int MAX_OPEN_STREAMS = 2 * StrandServer.HTTP2_MAX_STREAMS;
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
