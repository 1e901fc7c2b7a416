/**
 * A self-contained demo "shop" made of several simulated services that run inside one JVM and
 * emit realistic OpenTelemetry traces over OTLP.
 *
 * <p>Every service owns a separate OpenTelemetry SDK instance (and therefore its own resource and
 * exporter), exactly as independent processes would. Cross-service calls are simulated in-process
 * by injecting W3C trace context into a header map on the caller side and extracting it on the
 * callee side. Span timestamps are simulated rather than slept, so traffic is cheap to generate.
 *
 * <p>Entry points: {@link io.strand.demo.DemoTraffic} (library use) and
 * {@link io.strand.demo.DemoMain} (command line).
 */
package io.strand.demo;
