package io.strand.demo;

import java.util.Map;

/**
 * A simulated request as it arrives at the callee.
 *
 * @param headers propagation headers written by the caller (W3C {@code traceparent} etc.)
 * @param arrivalNanos epoch nanoseconds at which the request reaches the callee
 * @param peerAddress network address of the caller, as the callee's socket would see it
 */
record Inbound(Map<String, String> headers, long arrivalNanos, String peerAddress) {}
