package io.strand.query.traceql;

import io.strand.model.AttributeValue;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one query over one trace. Spansets are bit sets over the trace's spans in start
 * order; a pipeline carries a list of spansets (several after {@code by()}), and drops empty ones.
 * Not thread-safe: one instance per trace.
 */
final class Evaluation {

  private final TraceIndex index;
  private final FieldResolver fields;
  private final Comparisons comparisons;
  private final Aggregates aggregates;
  private final Conditions conditions;
  /** Fields selected by {@code select()}, per span index. */
  private final Map<Integer, Map<String, AttributeValue>> selected = new HashMap<>();

  Evaluation(TraceIndex index, RegexCache regexes) {
    this.index = index;
    this.fields = new FieldResolver(index);
    this.comparisons = new Comparisons(regexes);
    this.aggregates = new Aggregates(fields);
    this.conditions = new Conditions(fields, comparisons);
  }

  /** The spans the query returns for this trace; empty when the trace does not match. */
  BitSet run(SpansetExpr query) {
    BitSet all = new BitSet(index.size());
    all.set(0, index.size());
    return spanset(query, all);
  }

  /** What {@code select()} chose for a span; empty when nothing. */
  Map<String, AttributeValue> selectedFor(int span) {
    Map<String, AttributeValue> m = selected.get(span);
    return m == null ? Map.of() : m;
  }

  private BitSet spanset(SpansetExpr e, BitSet input) {
    return switch (e) {
      case SpansetExpr.Filter f -> filter(f.condition(), input);
      case SpansetExpr.Operation o -> operation(o, input);
      case SpansetExpr.Pipeline p -> union(pipeline(p, input));
    };
  }

  private BitSet filter(FieldExpr condition, BitSet input) {
    if (condition.equals(FieldExpr.Literal.TRUE)) {
      return (BitSet) input.clone();
    }
    BitSet out = new BitSet(index.size());
    for (int i = input.nextSetBit(0); i >= 0; i = input.nextSetBit(i + 1)) {
      if (conditions.test(condition, i)) {
        out.set(i);
      }
    }
    return out;
  }

  private BitSet operation(SpansetExpr.Operation o, BitSet input) {
    BitSet left = spanset(o.left(), input);
    SpansetOperator op = o.op();
    if (op == SpansetOperator.OR) {
      left.or(spanset(o.right(), input));
      return left;
    }
    if (left.isEmpty() && op.mode() != SpansetOperator.Mode.NEGATED) {
      return left; // nothing on the left: no relation can hold, and && fails
    }
    BitSet right = spanset(o.right(), input);
    if (right.isEmpty()) {
      return right;
    }
    if (op == SpansetOperator.AND) {
      left.or(right);
      return left;
    }
    BitSet related = index.related(op.relation(), left);
    switch (op.mode()) {
      case PLAIN -> right.and(related);
      case NEGATED -> right.andNot(related);
      case UNION -> {
        right.and(related);
        if (!right.isEmpty()) {
          left.and(index.related(inverse(op.relation()), right));
          right.or(left);
        }
      }
      default -> throw new IllegalStateException("not structural: " + op);
    }
    return right;
  }

  private static SpansetOperator.Relation inverse(SpansetOperator.Relation r) {
    return switch (r) {
      case CHILD -> SpansetOperator.Relation.PARENT;
      case PARENT -> SpansetOperator.Relation.CHILD;
      case DESCENDANT -> SpansetOperator.Relation.ANCESTOR;
      case ANCESTOR -> SpansetOperator.Relation.DESCENDANT;
      case SIBLING -> SpansetOperator.Relation.SIBLING;
    };
  }

  private List<BitSet> pipeline(SpansetExpr.Pipeline p, BitSet input) {
    List<BitSet> sets = new ArrayList<>();
    BitSet first = spanset(p.input(), input);
    if (!first.isEmpty()) {
      sets.add(first);
    }
    for (Stage stage : p.stages()) {
      if (sets.isEmpty()) {
        break;
      }
      sets = apply(stage, sets);
    }
    return sets;
  }

  private List<BitSet> apply(Stage stage, List<BitSet> sets) {
    switch (stage) {
      case Stage.ScalarFilter f -> {
        List<BitSet> kept = new ArrayList<>();
        for (BitSet s : sets) {
          Value left = aggregates.value(f.left(), s);
          Value right = aggregates.value(f.right(), s);
          if (left != null && right != null && comparisons.test(f.op(), left, right)) {
            kept.add(s);
          }
        }
        return kept;
      }
      case Stage.Select sel -> {
        sets.forEach(s -> s.stream().forEach(i -> select(sel, i)));
        return sets;
      }
      case Stage.GroupBy by -> {
        List<BitSet> groups = new ArrayList<>();
        for (BitSet s : sets) {
          Map<Value, BitSet> byValue = new LinkedHashMap<>();
          s.stream().forEach(i -> byValue.computeIfAbsent(groupKey(by.field(), i),
              k -> new BitSet(index.size())).set(i));
          groups.addAll(byValue.values());
        }
        return groups;
      }
      case Stage.Coalesce c -> {
        return sets.size() <= 1 ? sets : new ArrayList<>(List.of(union(sets)));
      }
      case Stage.SpansetStage st -> {
        List<BitSet> out = new ArrayList<>();
        for (BitSet s : sets) {
          BitSet r = spanset(st.expr(), s);
          if (!r.isEmpty()) {
            out.add(r);
          }
        }
        return out;
      }
    }
  }

  private Value groupKey(FieldRef field, int i) {
    List<Value> vs = fields.values(field, i);
    return vs.isEmpty() ? Value.Nil.NIL : vs.get(0);
  }

  private void select(Stage.Select sel, int i) {
    for (FieldRef f : sel.fields()) {
      AttributeValue v = fields.selected(f, i);
      if (v != null) {
        selected.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(f.toString(), v);
      }
    }
  }

  private BitSet union(List<BitSet> sets) {
    BitSet out = new BitSet(index.size());
    sets.forEach(out::or);
    return out;
  }
}
