package io.strand.query;

import io.strand.model.Resource;
import io.strand.query.traceql.AttributeScope;
import io.strand.query.traceql.CompareOp;
import io.strand.query.traceql.FieldExpr;
import io.strand.query.traceql.FieldRef;
import io.strand.query.traceql.Intrinsic;
import io.strand.query.traceql.SpansetExpr;
import io.strand.query.traceql.SpansetOperator;
import io.strand.query.traceql.Stage;
import io.strand.query.traceql.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives from a query the {@link SpanHint} the store narrows candidates with: a conjunction of
 * criteria that some span of every matching trace satisfies.
 *
 * <ul>
 *   <li>{@code { a && b && c }}: the conjuncts the store understands, all on one span;
 *   <li>{@code A && B} and structural {@code A op B}: both sides must match, so the more
 *       selective side's hint;
 *   <li>negated structural {@code A !op B}: only B must match, so B's hint;
 *   <li>{@code ||}, {@code !} and everything else: nothing, so the store scans the time range;
 *   <li>a pipeline: its input's hint, or a spanset stage's when more selective.
 * </ul>
 *
 * <p>Attribute equalities go to {@link io.strand.storage.TraceQuery#attributes()}, which compares
 * {@link io.strand.model.AttributeValue#asText()} of the span attribute, else the resource
 * attribute. That is exact for string, integer and boolean attributes, with three known gaps the
 * SPI cannot express: an array attribute (TraceQL matches any element), a double attribute
 * compared with an integer literal ({@code 503.0} vs {@code 503}), and a resource attribute whose
 * key the span also carries as a span attribute.
 */
final class QueryPlanner {

  private QueryPlanner() {}

  /** The hint for a query; {@link SpanHint#ANY} when nothing can be pushed down. */
  static SpanHint plan(SpansetExpr query) {
    return switch (query) {
      case SpansetExpr.Filter f -> fromCondition(f.condition());
      case SpansetExpr.Operation o -> switch (o.op().mode()) {
        case LOGICAL -> o.op() == SpansetOperator.AND
            ? SpanHint.best(plan(o.left()), plan(o.right())) : SpanHint.ANY;
        case PLAIN, UNION -> SpanHint.best(plan(o.left()), plan(o.right()));
        case NEGATED -> plan(o.right());
      };
      case SpansetExpr.Pipeline p -> {
        SpanHint best = plan(p.input());
        for (Stage s : p.stages()) {
          if (s instanceof Stage.SpansetStage st) {
            best = SpanHint.best(best, plan(st.expr()));
          }
        }
        yield best;
      }
    };
  }

  private static SpanHint fromCondition(FieldExpr condition) {
    SpanHint.Builder span = new SpanHint.Builder();
    SpanHint.Builder root = new SpanHint.Builder(); // trace:root* hold on the root span
    List<FieldExpr> conjuncts = new ArrayList<>();
    flattenAnd(condition, conjuncts);
    for (FieldExpr c : conjuncts) {
      if (c instanceof FieldExpr.Comparison cmp) {
        if (cmp.left() instanceof FieldRef f && cmp.right() instanceof FieldExpr.Literal l) {
          push(f, cmp.op(), l.value(), span, root);
        } else if (cmp.right() instanceof FieldRef f
            && cmp.left() instanceof FieldExpr.Literal l && !cmp.op().isRegex()) {
          push(f, cmp.op().flip(), l.value(), span, root);
        }
      }
    }
    return SpanHint.best(span.build(), root.build());
  }

  private static void flattenAnd(FieldExpr e, List<FieldExpr> out) {
    if (e instanceof FieldExpr.Logical l && l.and()) {
      flattenAnd(l.left(), out);
      flattenAnd(l.right(), out);
    } else {
      out.add(e);
    }
  }

  private static void push(FieldRef field, CompareOp op, Value v, SpanHint.Builder span,
      SpanHint.Builder root) {
    switch (field) {
      case FieldRef.Attribute a -> pushAttribute(a, op, v, span);
      case FieldRef.IntrinsicField i -> pushIntrinsic(i.intrinsic(), op, v, span, root);
    }
  }

  private static void pushAttribute(FieldRef.Attribute a, CompareOp op, Value v,
      SpanHint.Builder span) {
    if (op != CompareOp.EQ) {
      return;
    }
    switch (a.scope()) {
      case RESOURCE, SPAN, UNSCOPED -> {
        if (a.scope() == AttributeScope.RESOURCE
            && a.key().equals(Resource.SERVICE_NAME)) {
          // Span.serviceName() falls back to "unknown_service" for an empty name: not pushed.
          if (v instanceof Value.Text t && !t.value().isEmpty()) {
            span.service(t.value());
          }
          return;
        }
        switch (v) {
          case Value.Text t -> span.attribute(a.key(), t.value());
          case Value.Int i -> span.attribute(a.key(), Long.toString(i.value()));
          case Value.Bool b -> span.attribute(a.key(), Boolean.toString(b.value()));
          default -> { }
        }
      }
      default -> { }
    }
  }

  private static void pushIntrinsic(Intrinsic intrinsic, CompareOp op, Value v,
      SpanHint.Builder span, SpanHint.Builder root) {
    switch (intrinsic) {
      case NAME -> {
        if (op == CompareOp.EQ && v instanceof Value.Text t) {
          span.operation(t.value());
        }
      }
      case STATUS -> {
        if (op == CompareOp.EQ && v instanceof Value.Status s) {
          span.status(s.code());
        }
      }
      case DURATION -> pushDuration(op, v, span);
      case TRACE_ROOT_NAME -> {
        if (op == CompareOp.EQ && v instanceof Value.Text t) {
          root.operation(t.value());
        }
      }
      case TRACE_ROOT_SERVICE -> {
        if (op == CompareOp.EQ && v instanceof Value.Text t) {
          root.service(t.value());
        }
      }
      default -> { }
    }
  }

  /** Span durations are whole nanoseconds, so {@code > x} is {@code >= floor(x) + 1}. */
  private static void pushDuration(CompareOp op, Value v, SpanHint.Builder span) {
    if (!v.type().isNumeric()) {
      return;
    }
    double x = v instanceof Value.Real r ? r.value()
        : v instanceof Value.Int i ? i.value() : ((Value.Dur) v).nanos();
    if (Double.isNaN(x) || Math.abs(x) >= 0x1p62) {
      return;
    }
    long floor = (long) Math.floor(x);
    long ceil = (long) Math.ceil(x);
    switch (op) {
      case GT -> span.minDuration(Math.max(0, floor + 1));
      case GE -> span.minDuration(Math.max(0, ceil));
      case LT -> span.maxDuration(ceil - 1);
      case LE -> span.maxDuration(floor);
      case EQ -> {
        span.minDuration(Math.max(0, ceil));
        span.maxDuration(floor);
      }
      default -> { }
    }
  }
}
