package io.strand.server.config;

import io.strand.pipeline.limits.Limit;
import io.strand.pipeline.limits.SpanLimits;
import java.util.Locale;

/**
 * Every configuration key, with its default and meaning. The one list that the YAML loader, the
 * environment mapping, the CLI flags and {@code --help} are all generated from, so they cannot
 * drift apart.
 */
public enum ConfigKey {
  BIND_ADDRESS("server.bind-address", "0.0.0.0", "Address all ports listen on."),
  QUERY_PORT("server.query-port", "16686",
      "Own API (/api/v1), Zipkin API under /zipkin, Jaeger API under /jaeger/api,"
          + " /health and /ready."),
  OTLP_GRPC_PORT("receivers.otlp-grpc-port", "4317", "OTLP/gRPC TraceService/Export."),
  OTLP_HTTP_PORT("receivers.otlp-http-port", "4318", "OTLP/HTTP POST /v1/traces."),
  ZIPKIN_PORT("receivers.zipkin-port", "9411", "Zipkin v2 POST /api/v2/spans and query API."),
  MAX_REQUEST_SIZE("receivers.max-request-size", "8MiB",
      "Largest request body accepted, measured after decompression."),
  REQUEST_TIMEOUT("receivers.request-timeout", "30s",
      "Longest a receiver request may take from its headers to the answer; a slower upload is"
          + " cut off (408, gRPC CANCELLED) and its HTTP/1 connection closed."),
  DATA_DIR("storage.path", "./strand-data", "Directory of the embedded RocksDB store."),
  RETENTION_MAX_AGE("storage.retention.max-age", "7d",
      "Data older than this (by ingest time) is deleted."),
  RETENTION_MAX_SIZE("storage.retention.max-size", "10GiB",
      "Oldest data is deleted while the store is larger than this on disk."),
  RETENTION_CHECK_INTERVAL("storage.retention.check-interval", "1m",
      "How often retention is enforced."),
  PARTITION_LENGTH("storage.partition-length", "1h",
      "Time span of one storage partition, the unit retention deletes."),
  SEALED_COMPRESSION_LEVEL("storage.sealed-compression-level", "9",
      "ZSTD level (1-22) of a partition rewritten once it stops taking writes: higher is smaller"
          + " on disk and costs more CPU once per partition."),
  WRITER_THREADS("ingest.writer-threads", "4",
      "Threads writing batches to the store concurrently (their syncs are grouped)."),
  QUEUED_BATCHES("ingest.queued-batches", "64",
      "Batches waiting to be written before receivers refuse more."),
  QUEUED_SPANS("ingest.queued-spans", "131072",
      "Spans queued or being written before receivers refuse more (429, RESOURCE_EXHAUSTED)."),
  QUEUED_BYTES("ingest.queued-bytes", "64MiB",
      "Request bytes (after decompression) queued or being written before receivers refuse"
          + " more."),
  MAX_SPANS_PER_REQUEST(Limit.SPANS_PER_REQUEST,
      "Spans one request may carry; a larger request is refused (400, INVALID_ARGUMENT)."),
  MAX_ATTRIBUTES_PER_SPAN(Limit.ATTRIBUTES_PER_SPAN,
      "Attributes kept per span, event, link and resource; the rest are dropped and counted"
          + " in the dropped-attributes count."),
  MAX_ATTRIBUTE_KEY_LENGTH(Limit.ATTRIBUTE_KEY_LENGTH,
      "Characters of an attribute key; an attribute with a longer key is dropped and counted."),
  MAX_ATTRIBUTE_VALUE_LENGTH(Limit.ATTRIBUTE_VALUE_LENGTH,
      "Characters of a string value (bytes of a bytes value), in arrays too; longer values"
          + " are truncated."),
  MAX_EVENTS_PER_SPAN(Limit.EVENTS_PER_SPAN,
      "Events kept per span; later ones are dropped and counted."),
  MAX_LINKS_PER_SPAN(Limit.LINKS_PER_SPAN,
      "Links kept per span; later ones are dropped and counted."),
  MAX_ATTRIBUTE_DEPTH(Limit.ATTRIBUTE_DEPTH,
      "Levels of nested arrays and key/value lists in a value (at most 32); a deeper"
          + " attribute is dropped and counted."),
  DEMO_RATE("demo.rate", "5", "Demo requests per second (strand demo).");

  private final String key;
  private final String defaultValue;
  private final String description;
  private final Limit limit;

  ConfigKey(Limit limit, String description) {
    this(limit.key(), Integer.toString(SpanLimits.defaultOf(limit)), description, limit);
  }

  ConfigKey(String key, String defaultValue, String description) {
    this(key, defaultValue, description, null);
  }

  ConfigKey(String key, String defaultValue, String description, Limit limit) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.limit = limit;
  }

  /** The span limit this key sets, or null when it sets something else. */
  public Limit limit() {
    return limit;
  }

  /** The dotted name used in YAML and as the CLI flag {@code --<key>}. */
  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** The environment variable: {@code STRAND_} and the key upper-cased, dots and dashes as _. */
  public String envName() {
    return "STRAND_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The key for a dotted name, or null. */
  public static ConfigKey byKey(String key) {
    for (ConfigKey k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }

  /** The key for an environment variable name, or null. */
  public static ConfigKey byEnvName(String name) {
    for (ConfigKey k : values()) {
      if (k.envName().equals(name)) {
        return k;
      }
    }
    return null;
  }
}
