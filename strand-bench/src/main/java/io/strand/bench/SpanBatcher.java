package io.strand.bench;

import io.strand.model.Span;
import io.strand.model.TraceId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Cuts the generator's stream of traces into batches of exactly {@code spansPerBatch} spans, as
 * an exporter does (traces may straddle two batches), remembering which traces each batch holds
 * whole. Not thread-safe.
 */
final class SpanBatcher {

  /**
   * One batch of spans.
   *
   * @param spans the spans, in generation order
   * @param wholeTraces traces entirely inside this batch
   * @param wholeTraceSpans their span counts
   */
  record Cut(List<Span> spans, TraceId[] wholeTraces, int[] wholeTraceSpans) {}

  /** A trace in {@code pending}: where it starts there (negative once partly sent) and size. */
  private record Pending(TraceId id, int start, int size) {}

  private final TraceGenerator generator;
  private final int spansPerBatch;
  private final List<Span> pending = new ArrayList<>();
  private final Deque<Pending> traces = new ArrayDeque<>();

  SpanBatcher(TraceGenerator generator, int spansPerBatch) {
    if (spansPerBatch < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.generator = generator;
    this.spansPerBatch = spansPerBatch;
  }

  Cut next() {
    while (pending.size() < spansPerBatch) {
      List<Span> trace = generator.nextTrace();
      traces.addLast(new Pending(trace.get(0).traceId(), pending.size(), trace.size()));
      pending.addAll(trace);
    }
    List<Span> spans = new ArrayList<>(pending.subList(0, spansPerBatch));
    pending.subList(0, spansPerBatch).clear();
    List<TraceId> whole = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Deque<Pending> rest = new ArrayDeque<>();
    for (Pending t : traces) {
      if (t.start() >= 0 && t.start() + t.size() <= spansPerBatch) {
        whole.add(t.id());
        sizes.add(t.size());
      }
      if (t.start() + t.size() > spansPerBatch) {
        rest.addLast(new Pending(t.id(), t.start() - spansPerBatch, t.size()));
      }
    }
    traces.clear();
    traces.addAll(rest);
    return new Cut(spans, whole.toArray(TraceId[]::new),
        sizes.stream().mapToInt(Integer::intValue).toArray());
  }
}
