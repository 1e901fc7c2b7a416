package io.strand.query.traceql;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanLink;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields of the spans of one trace. A field yields no value when missing, one value for
 * span- and trace-level fields, and one value per event or link for those scopes.
 */
final class FieldResolver {

  private final TraceIndex index;

  FieldResolver(TraceIndex index) {
    this.index = index;
  }

  /** The field's values on span {@code i}; empty when the span does not have it. */
  List<Value> values(FieldRef ref, int i) {
    return switch (ref) {
      case FieldRef.IntrinsicField f -> intrinsic(f.intrinsic(), i);
      case FieldRef.Attribute a -> attribute(a, i);
    };
  }

  /** The field as an attribute value for {@code select()}, or null when missing. */
  AttributeValue selected(FieldRef ref, int i) {
    if (ref instanceof FieldRef.Attribute a && !a.scope().multiValued()) {
      return raw(a, index.spans[i]);
    }
    List<Value> vs = values(ref, i);
    if (vs.isEmpty()) {
      return null;
    }
    return vs.size() == 1 ? vs.get(0).toAttributeValue()
        : new AttributeValue.ArrayValue(vs.stream().map(Value::toAttributeValue).toList());
  }

  private List<Value> intrinsic(Intrinsic intrinsic, int i) {
    Span s = index.spans[i];
    return switch (intrinsic) {
      case NAME -> List.of(new Value.Text(s.name()));
      case STATUS -> List.of(new Value.Status(s.statusCode()));
      case STATUS_MESSAGE -> List.of(new Value.Text(s.statusMessage()));
      case KIND -> List.of(new Value.Kind(s.kind()));
      case DURATION -> List.of(new Value.Dur(s.durationNanos()));
      case SPAN_ID -> List.of(new Value.Text(SpanId.toHex(s.spanId())));
      case PARENT_ID -> s.isRoot() ? List.of()
          : List.of(new Value.Text(SpanId.toHex(s.parentSpanId())));
      case CHILD_COUNT -> List.of(new Value.Int(index.childCount[i]));
      case TRACE_ID -> List.of(new Value.Text(s.traceId().toHex()));
      case TRACE_ROOT_NAME -> index.root < 0 ? List.of()
          : List.of(new Value.Text(index.spans[index.root].name()));
      case TRACE_ROOT_SERVICE -> index.root < 0 ? List.of()
          : List.of(new Value.Text(index.spans[index.root].serviceName()));
      case TRACE_DURATION -> List.of(new Value.Dur(index.durationNanos()));
      case EVENT_NAME -> s.events().stream().<Value>map(e -> new Value.Text(e.name())).toList();
      case EVENT_TIME_SINCE_START -> s.events().stream()
          .<Value>map(e -> new Value.Dur(e.timeUnixNano() - s.startTimeUnixNano())).toList();
      case LINK_TRACE_ID -> s.links().stream()
          .<Value>map(l -> new Value.Text(l.traceId().toHex())).toList();
      case LINK_SPAN_ID -> s.links().stream()
          .<Value>map(l -> new Value.Text(SpanId.toHex(l.spanId()))).toList();
      case INSTRUMENTATION_NAME -> nonEmpty(s.scope().name());
      case INSTRUMENTATION_VERSION -> nonEmpty(s.scope().version());
    };
  }

  private static List<Value> nonEmpty(String s) {
    return s.isEmpty() ? List.of() : List.of(new Value.Text(s));
  }

  private List<Value> attribute(FieldRef.Attribute a, int i) {
    Span s = index.spans[i];
    if (!a.scope().multiValued()) {
      AttributeValue v = raw(a, s);
      return v == null ? List.of() : List.of(Value.of(v));
    }
    List<Value> out = new ArrayList<>(2);
    if (a.scope() == AttributeScope.EVENT) {
      for (SpanEvent e : s.events()) {
        add(out, e.attributes(), a.key());
      }
    } else {
      for (SpanLink l : s.links()) {
        add(out, l.attributes(), a.key());
      }
    }
    return out;
  }

  private static void add(List<Value> out, Attributes attrs, String key) {
    AttributeValue v = attrs.get(key);
    if (v != null) {
      out.add(Value.of(v));
    }
  }

  private static AttributeValue raw(FieldRef.Attribute a, Span s) {
    return switch (a.scope()) {
      case SPAN -> s.attributes().get(a.key());
      case RESOURCE -> s.resource().attributes().get(a.key());
      case INSTRUMENTATION -> s.scope().attributes().get(a.key());
      case UNSCOPED -> {
        AttributeValue v = s.attributes().get(a.key());
        yield v != null ? v : s.resource().attributes().get(a.key());
      }
      default -> throw new IllegalArgumentException("multi-valued scope " + a.scope());
    };
  }
}
