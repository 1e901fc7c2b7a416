package io.strand.demo;

import static io.strand.demo.SemConv.*;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.strand.demo.ServiceTelemetry.Scope;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Kafka PRODUCER and CONSUMER spans following the messaging semantic conventions. */
final class Kafka {
  static final String BROKER = "kafka-0.kafka.shop.svc.cluster.local";
  static final int PORT = 9092;

  private Kafka() {}

  /** A record as it travels through the broker, with the trace context in its headers. */
  record Message(
      Map<String, String> headers,
      SpanContext producer,
      String topic,
      int partition,
      long offset,
      String key,
      long bodySize,
      long sentNanos) {}

  /** Records a PRODUCER span for sending one record and returns the record as delivered. */
  static Message send(
      ServiceTelemetry producer,
      Sim sim,
      Context parent,
      long startNanos,
      String topic,
      String key,
      long bodySize) {
    int partition = Math.floorMod(key.hashCode(), 6);
    long offset = 1_000_000L + (long) (sim.uniform() * 9_000_000);
    Span span =
        producer
            .span(Scope.KAFKA, "send " + topic, SpanKind.PRODUCER, parent, startNanos)
            .setAttribute(MESSAGING_SYSTEM, "kafka")
            .setAttribute(MESSAGING_DESTINATION_NAME, topic)
            .setAttribute(MESSAGING_OPERATION_TYPE, "send")
            .setAttribute(MESSAGING_OPERATION_NAME, "send")
            .setAttribute(MESSAGING_CLIENT_ID, "producer-" + producer.name() + "-1")
            .setAttribute(MESSAGING_DESTINATION_PARTITION_ID, String.valueOf(partition))
            .setAttribute(MESSAGING_KAFKA_MESSAGE_KEY, key)
            .setAttribute(MESSAGING_MESSAGE_BODY_SIZE, bodySize)
            .setAttribute(SERVER_ADDRESS, BROKER)
            .setAttribute(SERVER_PORT, (long) PORT)
            .startSpan();
    Map<String, String> headers = new HashMap<>();
    producer.inject(parent.with(span), headers);
    // acks=all: the send completes once the in-sync replicas have the record.
    long end = startNanos + sim.latency(2.5, 0.5);
    span.setAttribute(MESSAGING_KAFKA_OFFSET, offset);
    span.end(end, TimeUnit.NANOSECONDS);
    return new Message(
        headers, span.getSpanContext(), topic, partition, offset, key, bodySize, end);
  }

  /**
   * Starts the CONSUMER span for processing {@code message}. It is a child of the producer span
   * (so the trace stays connected) and also links to it, which is how batch consumers that cannot
   * pick a single parent would express the relationship.
   */
  static Span startProcess(
      ServiceTelemetry consumer, Message message, String group, long startNanos) {
    return consumer
        .span(Scope.KAFKA, "process " + message.topic(), SpanKind.CONSUMER,
            consumer.extract(message.headers()), startNanos)
        .addLink(message.producer())
        .setAttribute(MESSAGING_SYSTEM, "kafka")
        .setAttribute(MESSAGING_DESTINATION_NAME, message.topic())
        .setAttribute(MESSAGING_OPERATION_TYPE, "process")
        .setAttribute(MESSAGING_OPERATION_NAME, "process")
        .setAttribute(MESSAGING_CONSUMER_GROUP_NAME, group)
        .setAttribute(MESSAGING_CLIENT_ID, "consumer-" + group + "-1")
        .setAttribute(MESSAGING_DESTINATION_PARTITION_ID, String.valueOf(message.partition()))
        .setAttribute(MESSAGING_KAFKA_OFFSET, message.offset())
        .setAttribute(MESSAGING_KAFKA_MESSAGE_KEY, message.key())
        .setAttribute(MESSAGING_MESSAGE_ID, message.topic() + "-" + message.partition() + "@"
            + message.offset())
        .setAttribute(MESSAGING_MESSAGE_BODY_SIZE, message.bodySize())
        .setAttribute(SERVER_ADDRESS, BROKER)
        .setAttribute(SERVER_PORT, (long) PORT)
        .startSpan();
  }
}
