package io.strand.bench.jmh;

import io.strand.bench.TraceGenerator;
import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.codec.otlp.OtlpProtoEncoder;
import io.strand.codec.zipkin.ZipkinDecoder;
import io.strand.codec.zipkin.ZipkinEncoder;
import io.strand.model.Span;
import io.strand.query.TraceQl;
import io.strand.query.TraceQlQuery;
import io.strand.storage.rocksdb.SpanCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot paths one span takes, each on a realistic 512-span batch from the seeded generator:
 * OTLP protobuf and Zipkin JSON decoding, the storage encoding, and TraceQL evaluation. Scores
 * are per batch; divide by 512 for per span. Run with {@code ./strand bench jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {
  private static final int BATCH = 512;

  private final OtlpProtoDecoder otlpDecoder = new OtlpProtoDecoder();
  private final ZipkinDecoder zipkinDecoder = new ZipkinDecoder();
  private List<Span> batch;
  private List<List<Span>> traces;
  private byte[] otlpBytes;
  private byte[] zipkinJson;
  private TraceQlQuery structural;
  private TraceQlQuery attribute;

  @Setup
  public void generate() {
    TraceGenerator generator = new TraceGenerator(11, 1_700_000_000_000_000_000L);
    traces = new ArrayList<>();
    batch = new ArrayList<>();
    while (batch.size() < BATCH) {
      List<Span> trace = generator.nextTrace();
      traces.add(trace);
      batch.addAll(trace);
    }
    batch = batch.subList(0, BATCH);
    otlpBytes = new OtlpProtoEncoder().encode(batch).toByteArray();
    zipkinJson = new ZipkinEncoder().encodeJson(batch);
    structural = TraceQl.parse("{ resource.service.name = \"frontend\" } >> { status = error }");
    attribute = TraceQl.parse("{ span.http.response.status_code = 503 && duration > 10ms }");
  }

  /** OTLP protobuf bytes of a batch to model spans. */
  @Benchmark
  public List<Span> otlpProtoDecode() {
    return otlpDecoder.decode(otlpBytes).spans();
  }

  /** Zipkin v2 JSON of the same batch to model spans. */
  @Benchmark
  public List<Span> zipkinJsonDecode() {
    return zipkinDecoder.decodeJson(zipkinJson).spans();
  }

  /** Model spans to the stored value bytes (one codec per batch, as the writer uses it). */
  @Benchmark
  public int storageEncode() {
    SpanCodec codec = new SpanCodec();
    int bytes = 0;
    for (Span s : batch) {
      bytes += codec.encode(s).length;
    }
    return bytes;
  }

  /** A structural TraceQL query evaluated on every trace of the batch. */
  @Benchmark
  public int traceQlStructural() {
    return evaluate(structural);
  }

  /** An attribute-and-duration TraceQL filter evaluated on every trace of the batch. */
  @Benchmark
  public int traceQlAttribute() {
    return evaluate(attribute);
  }

  private int evaluate(TraceQlQuery query) {
    int matched = 0;
    for (List<Span> trace : traces) {
      Optional<?> m = query.evaluate(trace);
      if (m.isPresent()) {
        matched++;
      }
    }
    return matched;
  }
}
