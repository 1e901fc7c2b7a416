package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** gRPC client and server spans following the RPC semantic conventions. */
final class Rpc {
  static final int OK = 0;
  static final int FAILED_PRECONDITION = 9;
  static final int UNAVAILABLE = 14;

  private static final List<String> USER_AGENT = List.of("grpc-java-netty/1.68.1");

  private Rpc() {}

  /**
   * A unary gRPC call.
   *
   * @param service fully qualified service, e.g. {@code shop.payment.v1.PaymentService}
   */
  record Request(String service, String method, String host, int port) {
    String spanName() {
      return service + "/" + method;
    }
  }

  /** A traced in-process unary call: CLIENT span here, SERVER span in {@code server}. */
  static Outcome call(
      ServiceTelemetry caller,
      Sim sim,
      Context parent,
      long startNanos,
      Request request,
      Function<Inbound, Outcome> server) {
    Span client =
        callSpanBuilder(caller, SpanKind.CLIENT, parent, startNanos, request).startSpan();
    Outcome received =
        InProcessCall.roundTrip(caller, sim, parent.with(client), startNanos, server);
    client.setAttribute(RPC_GRPC_STATUS_CODE, (long) received.code());
    if (received.code() != OK) {
      client.setAttribute(ERROR_TYPE, received.errorType());
      client.setStatus(StatusCode.ERROR);
    }
    client.end(received.endNanos(), TimeUnit.NANOSECONDS);
    return received;
  }

  /** Starts the callee's SERVER span, parented on the propagated client context. */
  static Span startServer(ServiceTelemetry server, Sim sim, Inbound in, Request request) {
    return callSpanBuilder(
            server, SpanKind.SERVER, server.extract(in.headers()), in.arrivalNanos(), request)
        .setAttribute(NETWORK_PEER_ADDRESS, in.peerAddress())
        .setAttribute(NETWORK_PEER_PORT, sim.ephemeralPort())
        .setAttribute(RPC_GRPC_USER_AGENT, USER_AGENT)
        .startSpan();
  }

  /** A span builder for either side of {@code request}, with the attributes both sides record. */
  private static SpanBuilder callSpanBuilder(
      ServiceTelemetry telemetry, SpanKind kind, Context parent, long startNanos, Request request) {
    return telemetry
        .span(Scope.GRPC, request.spanName(), kind, parent, startNanos)
        .setAttribute(RPC_SYSTEM, "grpc")
        .setAttribute(RPC_SERVICE, request.service())
        .setAttribute(RPC_METHOD, request.method())
        .setAttribute(SERVER_ADDRESS, request.host())
        .setAttribute(SERVER_PORT, (long) request.port())
        .setAttribute(NETWORK_PROTOCOL_VERSION, "2");
  }

  /**
   * Ends a SERVER span. Any non-OK code is marked as an error: in this shop every failed RPC
   * fails the customer's request.
   */
  static Outcome endServer(Span span, int code, String errorType, long endNanos) {
    span.setAttribute(RPC_GRPC_STATUS_CODE, (long) code);
    if (code != OK) {
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, errorType);
    }
    span.end(endNanos, TimeUnit.NANOSECONDS);
    return code == OK ? Outcome.ok(endNanos, code) : Outcome.failed(endNanos, code, errorType);
  }
}
