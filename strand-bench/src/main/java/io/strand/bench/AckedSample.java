package io.strand.bench;

import io.strand.model.TraceId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Traces to read back after a run, drawn uniformly from the acknowledged batches (reservoir
 * sampling, one whole trace per chosen batch), so the check covers the whole run, not its start,
 * and only what the server said it stored.
 */
public final class AckedSample {
  private final TraceId[] ids;
  private final int[] spans;
  private final SplittableRandom random = new SplittableRandom(17);
  private long seen;
  private int size;

  public AckedSample(int capacity) {
    ids = new TraceId[capacity];
    spans = new int[capacity];
  }

  /** Offers an acknowledged batch. */
  public synchronized void offer(Batch batch) {
    if (batch.wholeTraces().length == 0 || ids.length == 0) {
      return;
    }
    seen++;
    int slot;
    if (size < ids.length) {
      slot = size++;
    } else {
      long r = random.nextLong(seen);
      if (r >= ids.length) {
        return;
      }
      slot = (int) r;
    }
    int pick = random.nextInt(batch.wholeTraces().length);
    ids[slot] = batch.wholeTraces()[pick];
    spans[slot] = batch.wholeTraceSpans()[pick];
  }

  /** The sampled trace ids with their span counts. */
  public synchronized Map<TraceId, Integer> traces() {
    Map<TraceId, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      out.put(ids[i], spans[i]);
    }
    return out;
  }
}
