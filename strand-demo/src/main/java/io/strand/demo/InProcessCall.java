package io.strand.demo;

import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The transport shared by every simulated protocol: a request carried from one service to another
 * inside the JVM, with W3C trace context in its headers and one network hop each way.
 */
final class InProcessCall {
  private InProcessCall() {}

  /**
   * Injects {@code clientContext} (the caller's CLIENT span) into a header map, lets {@code server}
   * handle the request one network hop after {@code startNanos} and brings the response back.
   *
   * @return the server's outcome, re-timed to when the caller received the response
   */
  static Outcome roundTrip(
      ServiceTelemetry caller,
      Sim sim,
      Context clientContext,
      long startNanos,
      Function<Inbound, Outcome> server) {
    Map<String, String> headers = new HashMap<>();
    caller.inject(clientContext, headers);
    Outcome served =
        server.apply(new Inbound(headers, startNanos + sim.networkHop(), caller.podIp()));
    return served.endingAt(served.endNanos() + sim.networkHop());
  }
}
