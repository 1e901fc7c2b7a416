package io.strand.bench;

import io.strand.codec.otlp.OtlpProtoEncoder;
import io.strand.codec.zipkin.ZipkinEncoder;
import io.strand.model.Span;
import io.strand.model.TraceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same generated spans encoded for each receiver: Zipkin v2 JSON and OTLP protobuf batches,
 * plus a sample of trace ids with their span counts, to check afterwards that what was
 * acknowledged was stored. Spans are generated batch by batch so only the encoded bytes stay in
 * memory.
 *
 * @param zipkinJson Zipkin v2 JSON batches
 * @param otlpProto OTLP protobuf batches (same spans, same order)
 * @param spansPerBatch spans in each batch
 * @param sample trace id to span count for traces wholly inside the batches
 */
public record Payloads(List<byte[]> zipkinJson, List<byte[]> otlpProto, int spansPerBatch,
    Map<TraceId, Integer> sample) {

  /** Encodes {@code batches} batches of {@code spansPerBatch} spans from a fixed seed. */
  public static Payloads generate(int batches, int spansPerBatch, long seed, int sampleSize) {
    TraceGenerator generator = new TraceGenerator(seed, System.currentTimeMillis() * 1_000_000L);
    ZipkinEncoder zipkin = new ZipkinEncoder();
    OtlpProtoEncoder otlp = new OtlpProtoEncoder();
    List<byte[]> json = new ArrayList<>(batches);
    List<byte[]> proto = new ArrayList<>(batches);
    Map<TraceId, Integer> sample = new LinkedHashMap<>();
    List<Span> pending = new ArrayList<>();
    int sampleEvery = Math.max(1, batches / Math.max(1, sampleSize));
    for (int b = 0; b < batches; b++) {
      while (pending.size() < spansPerBatch) {
        List<Span> trace = generator.nextTrace();
        if (b % sampleEvery == 0 && pending.size() + trace.size() <= spansPerBatch
            && sample.size() < sampleSize) {
          sample.put(trace.get(0).traceId(), trace.size());
        }
        pending.addAll(trace);
      }
      List<Span> batch = new ArrayList<>(pending.subList(0, spansPerBatch));
      pending.subList(0, spansPerBatch).clear();
      json.add(zipkin.encodeJson(batch));
      proto.add(otlp.encode(batch).toByteArray());
    }
    return new Payloads(json, proto, spansPerBatch, sample);
  }

  /** Average encoded bytes per span of a format. */
  public static double bytesPerSpan(List<byte[]> batches, int spansPerBatch) {
    long total = 0;
    for (byte[] b : batches) {
      total += b.length;
    }
    return total / (double) (batches.size() * (long) spansPerBatch);
  }
}
