package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** HTTP client and server spans following the HTTP semantic conventions. */
final class Http {
  private Http() {}

  /**
   * What a client sends; both sides derive their attributes from it.
   *
   * @param route the server's route template, e.g. {@code /api/stock/{sku}}
   * @param target path plus optional {@code ?query}
   */
  record Request(
      String method,
      String scheme,
      String host,
      int port,
      String route,
      String target,
      String userAgent,
      long bodySize) {

    /** The name of both sides' spans: method and route, e.g. {@code GET /api/stock/{sku}}. */
    String spanName() {
      return method + " " + route;
    }

    String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }

    String query() {
      int q = target.indexOf('?');
      return q < 0 ? null : target.substring(q + 1);
    }

    String url() {
      boolean defaultPort =
          ("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80);
      return scheme + "://" + host + (defaultPort ? "" : ":" + port) + target;
    }
  }

  /**
   * Performs a traced in-process call: a CLIENT span in {@code caller}, W3C propagation through a
   * header map, then {@code server} handles the request (creating its own SERVER span).
   *
   * @return the server's outcome, re-timed to when the caller received the response
   */
  static Outcome call(
      ServiceTelemetry caller,
      Sim sim,
      Context parent,
      long startNanos,
      Request request,
      Function<Inbound, Outcome> server) {
    Span client = startClient(caller, parent, startNanos, request);
    Outcome received =
        InProcessCall.roundTrip(caller, sim, parent.with(client), startNanos, server);
    endClient(client, received.code(), received.errorType(), received.endNanos());
    return received;
  }

  /** Starts a CLIENT span; used directly for third-party APIs that are not traced themselves. */
  static Span startClient(
      ServiceTelemetry caller, Context parent, long startNanos, Request request) {
    return caller
        .span(Scope.HTTP_CLIENT, request.spanName(), SpanKind.CLIENT, parent, startNanos)
        .setAttribute(HTTP_REQUEST_METHOD, request.method())
        .setAttribute(URL_FULL, request.url())
        .setAttribute(URL_TEMPLATE, request.route())
        .setAttribute(SERVER_ADDRESS, request.host())
        .setAttribute(SERVER_PORT, (long) request.port())
        .setAttribute(NETWORK_PROTOCOL_VERSION, "1.1")
        .setAttribute(USER_AGENT_ORIGINAL, request.userAgent())
        .setAttribute(HTTP_REQUEST_BODY_SIZE, request.bodySize())
        .startSpan();
  }

  /** Ends a CLIENT span; for clients every 4xx and 5xx is an error. */
  static void endClient(Span client, int status, String errorType, long endNanos) {
    client.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
    if (status >= 400) {
      client.setAttribute(ERROR_TYPE, errorType != null ? errorType : String.valueOf(status));
      client.setStatus(StatusCode.ERROR);
    }
    client.end(endNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts the callee's SERVER span, parented on the propagated client context.
   *
   * @param clientAddress the original client (differs from the peer behind a load balancer)
   */
  static Span startServer(
      ServiceTelemetry server, Sim sim, Inbound in, Request request, String clientAddress) {
    Span span =
        server
            .span(Scope.HTTP_SERVER, request.spanName(), SpanKind.SERVER,
                server.extract(in.headers()), in.arrivalNanos())
            .setAttribute(HTTP_REQUEST_METHOD, request.method())
            .setAttribute(URL_SCHEME, request.scheme())
            .setAttribute(URL_PATH, request.path())
            .setAttribute(HTTP_ROUTE, request.route())
            .setAttribute(SERVER_ADDRESS, request.host())
            .setAttribute(SERVER_PORT, (long) request.port())
            .setAttribute(NETWORK_PROTOCOL_VERSION, "1.1")
            .setAttribute(NETWORK_PEER_ADDRESS, in.peerAddress())
            .setAttribute(NETWORK_PEER_PORT, sim.ephemeralPort())
            .setAttribute(CLIENT_ADDRESS, clientAddress)
            .setAttribute(USER_AGENT_ORIGINAL, request.userAgent())
            .setAttribute(HTTP_REQUEST_BODY_SIZE, request.bodySize())
            .startSpan();
    if (request.query() != null) {
      span.setAttribute(URL_QUERY, request.query());
    }
    return span;
  }

  /**
   * Ends a SERVER span and builds the outcome handed back to the caller. Only 5xx marks a server
   * span as failed: a 4xx is the client's fault.
   */
  static Outcome endServer(Span span, int status, long responseBytes, long endNanos) {
    return endServer(span, status, responseBytes, endNanos, null);
  }

  /** As {@link #endServer(Span, int, long, long)}, with a human-readable error description. */
  static Outcome endServer(
      Span span, int status, long responseBytes, long endNanos, String errorDescription) {
    span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
    span.setAttribute(HTTP_RESPONSE_BODY_SIZE, responseBytes);
    String errorType = null;
    if (status >= 500) {
      errorType = String.valueOf(status);
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, errorDescription == null ? "" : errorDescription);
    }
    span.end(endNanos, TimeUnit.NANOSECONDS);
    return status >= 400
        ? Outcome.failed(endNanos, status, String.valueOf(status))
        : Outcome.ok(endNanos, status);
  }
}
