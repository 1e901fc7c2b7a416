package io.strand.bench;

import io.strand.codec.otlp.OtlpProtoEncoder;
import io.strand.model.Span;
import io.strand.server.StrandServer;
import io.strand.server.config.ConfigKey;
import io.strand.server.config.StrandConfig;
import io.strand.storage.rocksdb.RocksDbStorage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingest throughput of the whole path (HTTP, OTLP protobuf decode, durable RocksDB write, ack)
 * and bytes on disk per span. Starts a server in this JVM on a fresh data directory, sends
 * pre-encoded OTLP/HTTP protobuf batches of realistic spans over several connections, counts only
 * acknowledged spans, then compacts the store and measures it.
 *
 * <p>Usage: {@code IngestBenchmark [--spans N] [--batch N] [--connections N] [--data DIR]}.
 * Load generator and server share the machine's cores, so the figure is a floor.
 */
public final class IngestBenchmark {

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int spans = 1_000_000;
    int batch = 512;
    int connections = 4;
    Path data = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--spans" -> spans = Integer.parseInt(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--connections" -> connections = Integer.parseInt(args[i + 1]);
        case "--data" -> data = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (use --spans, --batch, --connections, --data)");
      }
    }
    if (data == null) {
      data = Files.createTempDirectory("strand-bench-");
    }
    run(spans, batch, connections, data);
  }

  private static void run(int spanCount, int batchSize, int connections, Path data)
      throws Exception {
    System.out.printf("generating %,d realistic spans in batches of %d...%n", spanCount,
        batchSize);
    List<byte[]> batches = encode(spanCount, batchSize);
    long payloadBytes = batches.stream().mapToLong(b -> b.length).sum();
    int sentSpans = batches.size() * batchSize;
    System.out.printf("%,d batches, %.0f bytes per span on the wire%n", batches.size(),
        payloadBytes / (double) sentSpans);

    StrandConfig config = StrandConfig.defaults()
        .with(ConfigKey.BIND_ADDRESS, "127.0.0.1")
        .with(ConfigKey.QUERY_PORT, "0").with(ConfigKey.OTLP_GRPC_PORT, "0")
        .with(ConfigKey.OTLP_HTTP_PORT, "0").with(ConfigKey.ZIPKIN_PORT, "0")
        .with(ConfigKey.DATA_DIR, data.toString());
    try (StrandServer server = StrandServer.start(config)) {
      URI uri = URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces");
      HttpLoad.Result result = HttpLoad.send(uri, "application/x-protobuf", batches, batchSize,
          connections, Duration.ofHours(1));
      System.out.printf("%nOTLP/HTTP protobuf, %d connections, batches of %d:%n", connections,
          batchSize);
      System.out.printf("  acknowledged %,d spans in %.2f s = %,.0f spans/s (%.1f MB/s)%n",
          result.ackedSpans(), result.seconds(), result.spansPerSecond(),
          payloadBytes / result.seconds() / 1e6);
      System.out.printf("  refused or failed requests: %,d%n", result.refusedRequests());

      RocksDbStorage store = (RocksDbStorage) server.storage();
      store.flush();
      long beforeCompaction = store.diskBytes();
      store.compact();
      long afterCompaction = store.diskBytes();
      System.out.printf("  on disk: %.1f bytes/span after flush, %.1f bytes/span after"
          + " compaction (%,d bytes)%n", beforeCompaction / (double) result.ackedSpans(),
          afterCompaction / (double) result.ackedSpans(), afterCompaction);
    }
  }

  private static List<byte[]> encode(int spanCount, int batchSize) {
    TraceGenerator generator = new TraceGenerator(20_261_121L, System.currentTimeMillis()
        * 1_000_000L);
    OtlpProtoEncoder encoder = new OtlpProtoEncoder();
    List<Span> all = generator.spans(spanCount);
    List<byte[]> out = new ArrayList<>(all.size() / batchSize);
    for (int i = 0; i + batchSize <= all.size(); i += batchSize) {
      out.add(encoder.encode(all.subList(i, i + batchSize)).toByteArray());
    }
    return out;
  }
}
