package io.strand.storage.rocksdb;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.Span;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The posting terms of one batch's spans and their start refs: each span attribute except those
 * too common in the partition to index ({@link DenseTerms}). Terms
 * are looked up by attribute key, then value (batches repeat them), and hashed once; each
 * distinct term gets a slot with its span count and whether it was dense when first seen (a term
 * that turns dense meanwhile just gets a few more refs). Not thread-safe: one per batch.
 */
final class SpanTerms {

  /** The values of one span attribute key seen in this batch, and their slots. */
  private record KeySlots(String key, Map<AttributeValue, Slot> values, List<Slot> slots) {
    KeySlots(String key) {
      this(key, HashMap.newHashMap(64), new ArrayList<>());
    }
  }

  /** A distinct span attribute term of this batch, and its slot in {@link #postings}. */
  private record Slot(Term term, int index, boolean dense) {}

  /** Null when every term is indexed (a restart re-indexing pending batches). */
  private final DenseTerms dense;
  private final BatchPostings.Builder postings = new BatchPostings.Builder();
  /** Span attributes by key and value; grouped by key for {@link DenseTerms#count}. */
  private final Map<String, KeySlots> spanTerms = new HashMap<>(256);
  private final Map<Term, Slot> slotsByTerm;
  /** Spans of this batch carrying each term, by slot. */
  private int[] termCounts = new int[256];
  private int spanCount;

  /**
   * Terms for a batch of about {@code spans} spans of a partition whose dense terms are {@code
   * dense}, or null for none.
   */
  SpanTerms(DenseTerms dense, int spans) {
    this.dense = dense;
    // About 8 distinct terms per span in realistic batches: sized so that the map never grows.
    this.slotsByTerm = HashMap.newHashMap(Math.clamp(spans * 8L, 64, 1 << 16));
  }

  /**
   * Adds the refs of a span, which point to its time-index entry at {@code entryStart}: its
   * group's latest start, or (for the per-span entries of earlier versions) its own.
   */
  void add(Span s, long entryStart) {
    long ref = Postings.ref(entryStart, s.traceId().high());
    Attributes attributes = s.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      AttributeValue value = attributes.value(i);
      KeySlots ks = spanTerms.get(key);
      if (ks == null) {
        ks = new KeySlots(key);
        spanTerms.put(key, ks);
      }
      Slot slot = ks.values.get(value);
      if (slot == null) {
        slot = newSlot(ks, value);
      }
      if (slot.index >= termCounts.length) {
        termCounts = Arrays.copyOf(termCounts, Math.max(slot.index + 1, termCounts.length * 2));
      }
      termCounts[slot.index]++;
      if (!slot.dense) {
        postings.add(slot.index, ref);
      }
    }
    spanCount++;
  }

  private Slot newSlot(KeySlots ks, AttributeValue value) {
    Term term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, ks.key, value.asText());
    // Values of different kinds may render alike (5 and "5"): they share one term and slot.
    Slot slot = slotsByTerm.get(term);
    if (slot == null) {
      slot = new Slot(term, postings.slot(term.bytes(), term.hashCode()),
          dense != null && dense.isDense(term));
      slotsByTerm.put(term, slot);
      ks.slots.add(slot);
    }
    ks.values.put(value, slot);
    return slot;
  }

  /**
   * Counts this batch's span attribute terms in {@code into}, as if there were {@code weight}
   * such batches; returns the terms now dense but not marked yet (see {@link DenseTerms#count}).
   */
  List<Term> countInto(DenseTerms into, int weight) {
    List<Term> terms = new ArrayList<>(slotsByTerm.size());
    int[] counts = new int[slotsByTerm.size()];
    for (KeySlots ks : spanTerms.values()) {
      for (Slot slot : ks.slots) {
        counts[terms.size()] =
            (slot.index < termCounts.length ? termCounts[slot.index] : 0) * weight;
        terms.add(slot.term);
      }
    }
    return into.count(terms, counts, spanCount * weight);
  }

  /** The postings of the spans added, as batch {@code batch}. */
  BatchPostings build(long batch) {
    return postings.build(batch, spanCount);
  }
}
