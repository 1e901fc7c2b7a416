package io.strand.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.strand.pipeline.SpanIngester;
import io.strand.pipeline.limits.Limit;
import io.strand.pipeline.limits.SpanLimiter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * The server's Prometheus metrics. Receivers count requests and spans by protocol and outcome;
 * everything else (queue fill, limits hit, store state, heap) is read when scraped, so the ingest
 * path does no extra bookkeeping for it.
 */
public final class StrandMetrics {

  /** How a received request ended, as the {@code outcome} label. */
  public enum Outcome {
    /** Stored and acknowledged. */
    STORED,
    /** Undecodable or invalid; answered 400 / INVALID_ARGUMENT. */
    INVALID,
    /** Over a limit that refuses the whole request. */
    LIMITED,
    /** The ingest queue was full; answered 429 / RESOURCE_EXHAUSTED. */
    OVERLOADED,
    /** The store failed the write; answered 503 / UNAVAILABLE. */
    STORE_FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Counter spans;

  /**
   * @param ingester whose queue and store state to report
   * @param limiter whose hits to report
   */
  public StrandMetrics(SpanIngester ingester, SpanLimiter limiter) {
    requests = Counter.builder().name("strand_receiver_requests_total")
        .help("Export requests received, by protocol and outcome.")
        .labelNames("protocol", "outcome").register(registry);
    spans = Counter.builder().name("strand_receiver_spans_total")
        .help("Spans in export requests, by protocol and outcome (stored: acknowledged).")
        .labelNames("protocol", "outcome").register(registry);
    CounterWithCallback.builder().name("strand_limit_hits_total")
        .help("Times a limit took effect: a request refused, or attributes, events or links"
            + " dropped or truncated. The label is the configuration key.")
        .labelNames("limit")
        .callback(cb -> {
          for (Limit limit : Limit.values()) {
            cb.call(limiter.hits(limit), limit.key());
          }
        }).register(registry);
    GaugeWithCallback.builder().name("strand_ingest_queue_spans")
        .help("Spans queued for or being written to the store.")
        .callback(cb -> cb.call(ingester.queuedSpans())).register(registry);
    GaugeWithCallback.builder().name("strand_ingest_queue_bytes")
        .help("Request bytes (after decompression) queued for or being written to the store.")
        .callback(cb -> cb.call(ingester.queuedBytes())).register(registry);
    GaugeWithCallback.builder().name("strand_ingest_queue_limit")
        .help("The queue bounds beyond which receivers refuse, by measure.")
        .labelNames("measure")
        .callback(cb -> {
          cb.call(ingester.bounds().spans(), "spans");
          cb.call(ingester.bounds().bytes(), "bytes");
          cb.call(ingester.bounds().batches(), "batches");
        }).register(registry);
    GaugeWithCallback.builder().name("strand_store_failing")
        .help("1 while the store refuses writes (disk full, I/O error), else 0.")
        .callback(cb -> cb.call(ingester.storeFailing() ? 1 : 0)).register(registry);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    GaugeWithCallback.builder().name("strand_jvm_heap_bytes")
        .help("JVM heap: used, committed and max.")
        .labelNames("area")
        .callback(cb -> {
          MemoryUsage heap = memory.getHeapMemoryUsage();
          cb.call(heap.getUsed(), "used");
          cb.call(heap.getCommitted(), "committed");
          cb.call(heap.getMax(), "max");
        }).register(registry);
  }

  /** Counts one request of {@code spanCount} spans received over {@code protocol}. */
  public void received(String protocol, Outcome outcome, int spanCount) {
    requests.labelValues(protocol, outcome.label()).inc();
    if (spanCount > 0) {
      spans.labelValues(protocol, outcome.label()).inc(spanCount);
    }
  }

  /** Counts spans dropped from an otherwise accepted request as invalid (partial success). */
  public void rejectedSpans(String protocol, int spanCount) {
    spans.labelValues(protocol, Outcome.INVALID.label()).inc(spanCount);
  }

  /** The registry to scrape. */
  public PrometheusRegistry registry() {
    return registry;
  }
}
