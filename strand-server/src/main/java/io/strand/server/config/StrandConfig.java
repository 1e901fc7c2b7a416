package io.strand.server.config;

import io.strand.pipeline.limits.Limit;
import io.strand.pipeline.limits.SpanLimits;
import io.strand.storage.rocksdb.RocksDbConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The server's validated configuration. Build it with {@link ConfigLoader}, or with {@link
 * #defaults()} and {@link #with} in tests.
 *
 * @param bindAddress address all ports listen on
 * @param queryPort UI and query API port
 * @param otlpGrpcPort OTLP/gRPC port
 * @param otlpHttpPort OTLP/HTTP port
 * @param zipkinPort Zipkin port
 * @param maxRequestBytes largest request body after decompression
 * @param requestTimeout longest a receiver request may take, headers to answer
 * @param dataDir embedded store directory
 * @param retentionMaxAge age limit of stored data
 * @param retentionMaxBytes size limit of the store on disk
 * @param retentionCheckInterval retention period
 * @param partitionLength storage partition length
 * @param sealedCompressionLevel ZSTD level of sealed partitions
 * @param writerThreads concurrent store writers
 * @param queuedBatches batches queued before refusing
 * @param queuedSpans spans queued before refusing
 * @param queuedBytes request bytes queued before refusing
 * @param limits limits applied to received spans
 * @param demoRate demo requests per second
 */
public record StrandConfig(
    String bindAddress,
    int queryPort,
    int otlpGrpcPort,
    int otlpHttpPort,
    int zipkinPort,
    long maxRequestBytes,
    Duration requestTimeout,
    Path dataDir,
    Duration retentionMaxAge,
    long retentionMaxBytes,
    Duration retentionCheckInterval,
    Duration partitionLength,
    int sealedCompressionLevel,
    int writerThreads,
    int queuedBatches,
    long queuedSpans,
    long queuedBytes,
    SpanLimits limits,
    double demoRate) {

  /** Every key at its default. */
  public static StrandConfig defaults() {
    return from(new EnumMap<>(ConfigKey.class), Map.of());
  }

  /** A copy with one key set from text, validated like any other source. */
  public StrandConfig with(ConfigKey key, String value) {
    Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    values.putAll(asText());
    values.put(key, value);
    return from(values, Map.of());
  }

  /**
   * Parses every key from text, falling back to defaults.
   *
   * @param values the text of each key that was set
   * @param sources where each value came from, for error messages
   * @throws ConfigException naming the key, its source and what is wrong
   */
  static StrandConfig from(Map<ConfigKey, String> values, Map<ConfigKey, String> sources) {
    Parser p = new Parser(values, sources);
    return new StrandConfig(
        p.get(ConfigKey.BIND_ADDRESS, ValueParsers::nonEmpty),
        p.get(ConfigKey.QUERY_PORT, ValueParsers::port),
        p.get(ConfigKey.OTLP_GRPC_PORT, ValueParsers::port),
        p.get(ConfigKey.OTLP_HTTP_PORT, ValueParsers::port),
        p.get(ConfigKey.ZIPKIN_PORT, ValueParsers::port),
        p.get(ConfigKey.MAX_REQUEST_SIZE, t -> ValueParsers.positiveBytes(t)),
        p.get(ConfigKey.REQUEST_TIMEOUT, ValueParsers::positiveDuration),
        p.get(ConfigKey.DATA_DIR, t -> Path.of(ValueParsers.nonEmpty(t))),
        p.get(ConfigKey.RETENTION_MAX_AGE, ValueParsers::positiveDuration),
        p.get(ConfigKey.RETENTION_MAX_SIZE, ValueParsers::positiveBytes),
        p.get(ConfigKey.RETENTION_CHECK_INTERVAL, ValueParsers::positiveDuration),
        p.get(ConfigKey.PARTITION_LENGTH, ValueParsers::positiveDuration),
        p.get(ConfigKey.SEALED_COMPRESSION_LEVEL, t -> ValueParsers.integer(t,
            RocksDbConfig.MIN_SEALED_COMPRESSION_LEVEL, RocksDbConfig.MAX_SEALED_COMPRESSION_LEVEL)),
        p.get(ConfigKey.WRITER_THREADS, t -> ValueParsers.integer(t, 1, 256)),
        p.get(ConfigKey.QUEUED_BATCHES, t -> ValueParsers.integer(t, 1, 1_000_000)),
        p.get(ConfigKey.QUEUED_SPANS, t -> ValueParsers.integer(t, 1, Integer.MAX_VALUE)),
        p.get(ConfigKey.QUEUED_BYTES, ValueParsers::positiveBytes),
        limits(p),
        p.get(ConfigKey.DEMO_RATE, ValueParsers::rate));
  }

  private static SpanLimits limits(Parser p) {
    Map<Limit, Integer> values = new EnumMap<>(Limit.class);
    for (ConfigKey key : ConfigKey.values()) {
      Limit limit = key.limit();
      if (limit != null) {
        int max = limit == Limit.ATTRIBUTE_DEPTH ? SpanLimits.MAX_DEPTH_CEILING : Integer.MAX_VALUE;
        values.put(limit, p.get(key, t -> ValueParsers.integer(t, 1, max)));
      }
    }
    return SpanLimits.of(values);
  }

  /** Every key's value as text, the inverse of parsing. */
  public Map<ConfigKey, String> asText() {
    Map<ConfigKey, String> m = new EnumMap<>(ConfigKey.class);
    m.put(ConfigKey.BIND_ADDRESS, bindAddress);
    m.put(ConfigKey.QUERY_PORT, Integer.toString(queryPort));
    m.put(ConfigKey.OTLP_GRPC_PORT, Integer.toString(otlpGrpcPort));
    m.put(ConfigKey.OTLP_HTTP_PORT, Integer.toString(otlpHttpPort));
    m.put(ConfigKey.ZIPKIN_PORT, Integer.toString(zipkinPort));
    m.put(ConfigKey.MAX_REQUEST_SIZE, Long.toString(maxRequestBytes));
    m.put(ConfigKey.REQUEST_TIMEOUT, requestTimeout.toMillis() + "ms");
    m.put(ConfigKey.DATA_DIR, dataDir.toString());
    m.put(ConfigKey.RETENTION_MAX_AGE, retentionMaxAge.toMillis() + "ms");
    m.put(ConfigKey.RETENTION_MAX_SIZE, Long.toString(retentionMaxBytes));
    m.put(ConfigKey.RETENTION_CHECK_INTERVAL, retentionCheckInterval.toMillis() + "ms");
    m.put(ConfigKey.PARTITION_LENGTH, partitionLength.toMillis() + "ms");
    m.put(ConfigKey.SEALED_COMPRESSION_LEVEL, Integer.toString(sealedCompressionLevel));
    m.put(ConfigKey.WRITER_THREADS, Integer.toString(writerThreads));
    m.put(ConfigKey.QUEUED_BATCHES, Integer.toString(queuedBatches));
    m.put(ConfigKey.QUEUED_SPANS, Long.toString(queuedSpans));
    m.put(ConfigKey.QUEUED_BYTES, Long.toString(queuedBytes));
    for (ConfigKey key : ConfigKey.values()) {
      Limit limit = key.limit();
      if (limit != null) {
        m.put(key, Integer.toString(limits.get(limit)));
      }
    }
    m.put(ConfigKey.DEMO_RATE, Double.toString(demoRate));
    return m;
  }

  private record Parser(Map<ConfigKey, String> values, Map<ConfigKey, String> sources) {
    <T> T get(ConfigKey key, Function<String, T> parse) {
      String text = values.getOrDefault(key, key.defaultValue());
      try {
        return parse.apply(text);
      } catch (IllegalArgumentException | ArithmeticException e) {
        String from = sources.getOrDefault(key, "default");
        throw new ConfigException(
            "invalid value for " + key.key() + " (from " + from + "): " + e.getMessage());
      }
    }
  }
}
