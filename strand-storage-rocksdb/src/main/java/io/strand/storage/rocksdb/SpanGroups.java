package io.strand.storage.rocksdb;

import io.strand.model.Span;
import java.util.Arrays;

/**
 * The span groups of one write batch: its spans keyed by trace id, start window ({@link
 * Keys#groupWindow}) and a tag (0, or a service's number for the per-service index), each group
 * with its latest start and its shortest and longest duration. A group is one time-index entry
 * instead of one per span: realistic batches hold 20 to 60 spans per trace, and the entries were
 * a third of the keys written and a quarter of the bytes stored. Flat arrays and open addressing,
 * so adding a span allocates nothing. Not thread-safe: one per batch.
 */
final class SpanGroups {

  private long[] traceHigh;
  private long[] traceLow;
  private long[] window;
  private int[] tag;
  private long[] maxStart;
  private long[] minDuration;
  private long[] maxDuration;
  private int count;
  /** Group index + 1 by hash slot; 0 is free. */
  private int[] slots;

  /** Groups for a batch of about {@code spans} spans. */
  SpanGroups(int spans) {
    int capacity = Math.max(4, Math.min(spans, 1 << 12));
    traceHigh = new long[capacity];
    traceLow = new long[capacity];
    window = new long[capacity];
    tag = new int[capacity];
    maxStart = new long[capacity];
    minDuration = new long[capacity];
    maxDuration = new long[capacity];
    slots = new int[Integer.highestOneBit(capacity) << 2];
  }

  /** Adds a span to its group (with tag 0); returns the group's index. */
  int add(Span s) {
    return add(s, 0);
  }

  /** Adds a span to its group with {@code groupTag}; returns the group's index. */
  int add(Span s, int groupTag) {
    long high = s.traceId().high();
    long low = s.traceId().low();
    long start = s.startTimeUnixNano();
    long w = Keys.groupWindow(start);
    long duration = s.durationNanos();
    int mask = slots.length - 1;
    for (int i = slot(high, low, w, groupTag, mask); ; i = (i + 1) & mask) {
      int g = slots[i] - 1;
      if (g < 0) {
        g = newGroup(high, low, w, groupTag, start, duration);
        slots[i] = g + 1;
        if (count * 2 > slots.length) {
          rehash();
        }
        return g;
      }
      if (traceHigh[g] == high && traceLow[g] == low && window[g] == w && tag[g] == groupTag) {
        maxStart[g] = Math.max(maxStart[g], start);
        minDuration[g] = Math.min(minDuration[g], duration);
        maxDuration[g] = Math.max(maxDuration[g], duration);
        return g;
      }
    }
  }

  private int newGroup(long high, long low, long w, int groupTag, long start, long duration) {
    if (count == traceHigh.length) {
      int n = count * 2;
      traceHigh = Arrays.copyOf(traceHigh, n);
      traceLow = Arrays.copyOf(traceLow, n);
      window = Arrays.copyOf(window, n);
      tag = Arrays.copyOf(tag, n);
      maxStart = Arrays.copyOf(maxStart, n);
      minDuration = Arrays.copyOf(minDuration, n);
      maxDuration = Arrays.copyOf(maxDuration, n);
    }
    int g = count++;
    traceHigh[g] = high;
    traceLow[g] = low;
    window[g] = w;
    tag[g] = groupTag;
    maxStart[g] = start;
    minDuration[g] = duration;
    maxDuration[g] = duration;
    return g;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int g = 0; g < count; g++) {
      int i = slot(traceHigh[g], traceLow[g], window[g], tag[g], mask);
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = g + 1;
    }
  }

  /** The first slot a group's probe tries. */
  private static int slot(long high, long low, long window, int tag, int mask) {
    int h = Long.hashCode(high * 31 + low) * 31 + Long.hashCode(window) * 17 + tag;
    return (h ^ (h >>> 16)) & mask;
  }

  int count() {
    return count;
  }

  int tag(int group) {
    return tag[group];
  }

  /** The latest start among the group's spans: its time-index key, and its refs' bucket. */
  long maxStart(int group) {
    return maxStart[group];
  }

  /** The group's time-index entry under {@code prefix} in batch {@code batch}: {@link Keys#group}. */
  byte[] key(byte[] prefix, int group, long batch) {
    return Keys.group(prefix, maxStart[group], traceHigh[group], traceLow[group], batch);
  }

  /** The group's time-index value: {@link Keys#durations}. */
  byte[] value(int group) {
    return Keys.durations(minDuration[group], maxDuration[group]);
  }
}
