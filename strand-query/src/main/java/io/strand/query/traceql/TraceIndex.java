package io.strand.query.traceql;

import io.strand.model.Span;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.storage.SpanOrder;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The span tree of one trace, built once per evaluation so structural operators cost O(n): spans
 * in start order, each span's parent, a depth-first pre-order, child counts and sibling groups.
 *
 * <p>Spans whose parent is missing become roots of their own subtrees. A server span sharing its
 * id with a client span (Zipkin's shared spans) is placed under that client span. Cyclic parent
 * links, which only broken senders produce, are cut so every span is visited once.
 */
final class TraceIndex {

  final Span[] spans;
  /** Parent index in the tree, or -1. */
  final int[] parent;
  /** Every span index, each parent before its children. */
  final int[] preorder;
  final int[] childCount;
  /** Spans with the same parent share a group (orphans by their missing parent's id); -1: none. */
  final int[] siblingGroup;
  final int siblingGroups;
  /** The earliest span without a parent id, or -1 when the root has not arrived. */
  final int root;
  final long traceStart;
  final long traceEnd;

  private TraceIndex(Span[] spans) {
    this.spans = spans;
    int n = spans.length;
    int[] linked = linkParents(spans);
    parent = new int[n];
    preorder = new int[n];
    childCount = new int[n];
    walk(linked);
    siblingGroup = new int[n];
    siblingGroups = groupSiblings();
    int r = -1;
    long end = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      if (r < 0 && spans[i].isRoot()) {
        r = i;
      }
      end = Math.max(end, spans[i].endTimeUnixNano());
    }
    root = r;
    traceStart = n == 0 ? 0 : spans[0].startTimeUnixNano();
    traceEnd = n == 0 ? 0 : Math.max(end, traceStart);
  }

  /** Indexes a trace; the list need not be sorted. */
  static TraceIndex of(List<Span> trace) {
    Span[] spans = trace.toArray(new Span[0]);
    Arrays.sort(spans, SpanOrder.BY_START);
    return new TraceIndex(spans);
  }

  int size() {
    return spans.length;
  }

  /** max(end) - min(start) over the trace's spans. */
  long durationNanos() {
    return traceEnd - traceStart;
  }

  /** Each span's parent as the ids say, or -1. */
  private static int[] linkParents(Span[] spans) {
    int n = spans.length;
    Map<Long, Integer> byId = new HashMap<>(n * 2);
    Map<Long, Integer> sharedNonServer = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Integer prev = byId.putIfAbsent(spans[i].spanId(), i);
      if (prev != null) {
        // Zipkin shared span: children hang under the server half; remember the other half.
        int server = spans[i].kind() == SpanKind.SERVER ? i : prev;
        int other = server == i ? prev : i;
        byId.put(spans[i].spanId(), server);
        sharedNonServer.putIfAbsent(spans[i].spanId(), other);
      }
    }
    int[] linked = new int[n];
    for (int i = 0; i < n; i++) {
      Span s = spans[i];
      Integer client = s.kind() == SpanKind.SERVER ? sharedNonServer.get(s.spanId()) : null;
      Integer p = client != null ? client
          : s.parentSpanId() == SpanId.NONE ? null : byId.get(s.parentSpanId());
      linked[i] = p == null || p == i ? -1 : p;
    }
    return linked;
  }

  /** Iterative depth-first walk: fills parent, preorder and childCount. */
  private void walk(int[] linked) {
    int n = spans.length;
    int[] start = new int[n + 1];
    for (int p : linked) {
      if (p >= 0) {
        start[p + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      start[i + 1] += start[i];
    }
    int[] children = new int[start[n]];
    int[] fill = Arrays.copyOf(start, n);
    for (int i = 0; i < n; i++) {
      if (linked[i] >= 0) {
        children[fill[linked[i]]++] = i;
      }
    }
    boolean[] seen = new boolean[n];
    int[] stack = new int[n];
    int out = 0;
    // First from real roots, then from any span left unvisited (a cycle), cutting it there.
    for (int pass = 0; pass < 2; pass++) {
      for (int r = 0; r < n; r++) {
        if (seen[r] || (pass == 0 && linked[r] >= 0)) {
          continue;
        }
        seen[r] = true;
        parent[r] = -1;
        int top = 0;
        stack[top++] = r;
        while (top > 0) {
          int v = stack[--top];
          preorder[out++] = v;
          for (int k = start[v + 1] - 1; k >= start[v]; k--) {
            int c = children[k];
            if (!seen[c]) {
              seen[c] = true;
              parent[c] = v;
              childCount[v]++;
              stack[top++] = c;
            }
          }
        }
      }
    }
  }

  private int groupSiblings() {
    int n = spans.length;
    Map<Long, Integer> missingParents = new HashMap<>();
    for (int v = 0; v < n; v++) {
      long parentId = spans[v].parentSpanId();
      if (parent[v] >= 0) {
        siblingGroup[v] = parent[v];
      } else if (parentId != SpanId.NONE) {
        siblingGroup[v] = n + missingParents.computeIfAbsent(parentId, k -> missingParents.size());
      } else {
        siblingGroup[v] = -1;
      }
    }
    return n + missingParents.size();
  }

  /**
   * The spans that stand in {@code relation} to some span of {@code set}: for CHILD, spans whose
   * parent is in the set; for PARENT, parents of spans in the set; for DESCENDANT, spans with an
   * ancestor in the set; for ANCESTOR, spans with a descendant in the set; for SIBLING, spans
   * sharing a parent with a different span of the set. O(n).
   */
  BitSet related(SpansetOperator.Relation relation, BitSet set) {
    int n = spans.length;
    BitSet out = new BitSet(n);
    switch (relation) {
      case CHILD -> {
        for (int v = 0; v < n; v++) {
          if (parent[v] >= 0 && set.get(parent[v])) {
            out.set(v);
          }
        }
      }
      case PARENT -> set.stream().filter(v -> parent[v] >= 0).forEach(v -> out.set(parent[v]));
      case DESCENDANT -> {
        boolean[] below = new boolean[n];
        for (int v : preorder) {
          int p = parent[v];
          below[v] = p >= 0 && (set.get(p) || below[p]);
          if (below[v]) {
            out.set(v);
          }
        }
      }
      case ANCESTOR -> {
        for (int k = n - 1; k >= 0; k--) {
          int v = preorder[k];
          int p = parent[v];
          if (p >= 0 && (set.get(v) || out.get(v))) {
            out.set(p);
          }
        }
      }
      case SIBLING -> {
        int[] members = new int[siblingGroups];
        set.stream().filter(v -> siblingGroup[v] >= 0).forEach(v -> members[siblingGroup[v]]++);
        for (int v = 0; v < n; v++) {
          int g = siblingGroup[v];
          if (g >= 0 && members[g] - (set.get(v) ? 1 : 0) > 0) {
            out.set(v);
          }
        }
      }
      default -> throw new IllegalStateException("unknown relation " + relation);
    }
    return out;
  }
}
