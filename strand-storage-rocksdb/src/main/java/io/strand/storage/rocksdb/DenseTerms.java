package io.strand.storage.rocksdb;

import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spots the span attribute terms of a partition too common to be worth indexing. A search for
 * such a term finds its matches quickly by walking a time index (one span in ten or more
 * matches), while its entries would be a large share of the index: in a realistic corpus,
 * terms like {@code url.scheme=https} or {@code http.request.method=GET} made 38% of the
 * entries. Once a term is carried by at least {@code 1/}{@value #DENSE_DIVISOR} of the
 * partition's spans (after {@value #MIN_SPANS} spans), the writer records a {@code 0x09} marker
 * for it and, once that is durable, stops writing its entries; a search that finds the marker
 * walks a time index in that partition instead.
 *
 * <p>Counting is a Misra–Gries summary per attribute key with {@value #VALUES_PER_KEY}
 * counters, over one write batch in {@value #SAMPLED_BATCHES}. The summary never overestimates
 * (the sample may, a little: a term just under the bar may be skipped, which only makes its
 * searches walk a time index), and underestimates a value by at most {@code 1/17} of its
 * key's occurrences, so memory stays bounded whatever the cardinality (paths, ids). The state is
 * in memory only: after a restart the writer counts afresh and may write a few entries of terms
 * already marked, which costs space, not correctness.
 */
final class DenseTerms {

  /** Spans a partition must hold before any term counts as dense. */
  static final long MIN_SPANS = 10_000;
  /**
   * One batch in this many is counted, with its counts multiplied as much: counting is most of
   * the cost, and a term common enough to matter shows up in any sample.
   */
  static final int SAMPLED_BATCHES = 4;
  /** A term is dense when at least this fraction (1/n) of the partition's spans carry it. */
  static final int DENSE_DIVISOR = 10;
  private static final int VALUES_PER_KEY = 16;
  /** Attribute keys summarized; further keys are always indexed. */
  private static final int MAX_KEYS = 1_000;

  /** Guarded by this. */
  private final Map<String, Map<Term, long[]>> summaries = new HashMap<>();
  /** Guarded by this. */
  private long spans;
  /** Terms whose marker is durable: their entries are no longer written. */
  private final Set<Term> dense = ConcurrentHashMap.newKeySet();

  boolean isDense(Term term) {
    return dense.contains(term);
  }

  /**
   * Counts one batch: {@code spansPerTerm[i]} of its {@code batchSpans} spans carry {@code
   * terms.get(i)}, each term listed once. Listing the terms of a key next to each other saves
   * lookups. Returns the terms now dense but not marked yet; the caller writes their markers.
   */
  synchronized List<Term> count(List<Term> terms, int[] spansPerTerm, int batchSpans) {
    spans += batchSpans;
    List<Term> newlyDense = new ArrayList<>();
    String key = null;
    Map<Term, long[]> summary = null;
    for (int i = 0; i < terms.size(); i++) {
      Term term = terms.get(i);
      if (!term.key().equals(key)) {
        key = term.key();
        summary = summaries.get(key);
      }
      if (summary == null) {
        if (summaries.size() >= MAX_KEYS) {
          continue;
        }
        summary = new HashMap<>();
        summaries.put(term.key(), summary);
      }
      long count = add(summary, term, spansPerTerm[i]);
      if (spans >= MIN_SPANS && count * DENSE_DIVISOR >= spans && !dense.contains(term)) {
        newlyDense.add(term);
      }
    }
    return newlyDense;
  }

  /** Stops writing entries for {@code terms}; call once their markers are durable. */
  void markDense(Collection<Term> terms) {
    dense.addAll(terms);
  }

  /** Frees the counts once the partition takes no more writes. */
  synchronized void forget() {
    summaries.clear();
    dense.clear();
  }

  /** A weighted Misra–Gries update; returns the term's count afterwards, 0 when not kept. */
  private static long add(Map<Term, long[]> summary, Term term, long weight) {
    long[] counter = summary.get(term);
    if (counter != null) {
      return counter[0] += weight;
    }
    if (summary.size() < VALUES_PER_KEY) {
      summary.put(term, new long[] {weight});
      return weight;
    }
    long min = weight;
    for (long[] c : summary.values()) {
      min = Math.min(min, c[0]);
    }
    long decrement = min;
    summary.values().removeIf(c -> (c[0] -= decrement) == 0);
    long rest = weight - decrement;
    if (rest > 0) {
      summary.put(term, new long[] {rest});
    }
    return rest;
  }
}
