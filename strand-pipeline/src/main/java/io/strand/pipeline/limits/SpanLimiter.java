package io.strand.pipeline.limits;

import io.strand.model.AttributeValue;
import io.strand.model.AttributeValue.ArrayValue;
import io.strand.model.AttributeValue.BytesValue;
import io.strand.model.AttributeValue.KeyValueListValue;
import io.strand.model.AttributeValue.StringValue;
import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies {@link SpanLimits} to received spans the way the OpenTelemetry SDKs apply their own
 * limits: attributes, events and links over a count are dropped and added to the span's dropped
 * counts, long values are truncated, and a request with too many spans is refused whole. Spans
 * within every limit are passed through as they are, so the common case allocates nothing.
 */
public final class SpanLimiter {

  private final SpanLimits limits;
  private final int maxAttributes;
  private final int maxKeyLength;
  private final int maxValueLength;
  private final int maxDepth;
  private final LongAdder[] hits = new LongAdder[Limit.values().length];

  public SpanLimiter(SpanLimits limits) {
    this.limits = limits;
    this.maxAttributes = limits.get(Limit.ATTRIBUTES_PER_SPAN);
    this.maxKeyLength = limits.get(Limit.ATTRIBUTE_KEY_LENGTH);
    this.maxValueLength = limits.get(Limit.ATTRIBUTE_VALUE_LENGTH);
    this.maxDepth = limits.get(Limit.ATTRIBUTE_DEPTH);
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new LongAdder();
    }
  }

  /** The limits applied. */
  public SpanLimits limits() {
    return limits;
  }

  /**
   * The spans with every limit applied.
   *
   * @throws LimitExceededException when there are more spans than one request may carry
   */
  public List<Span> apply(List<Span> spans) {
    int maxSpans = limits.get(Limit.SPANS_PER_REQUEST);
    if (spans.size() > maxSpans) {
      hits[Limit.SPANS_PER_REQUEST.ordinal()].increment();
      throw new LimitExceededException(Limit.SPANS_PER_REQUEST, "request carries " + spans.size()
          + " spans, over the limit of " + maxSpans + " (" + Limit.SPANS_PER_REQUEST.key()
          + "); send smaller batches");
    }
    List<Span> out = null;
    Resource lastIn = null;
    Resource lastOut = null;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      // Spans of one resource share its instance, so the last one checked is nearly always it.
      if (span.resource() != lastIn) {
        lastIn = span.resource();
        lastOut = limitResource(lastIn);
      }
      Span limited = limit(span, lastOut);
      if (limited != span && out == null) {
        out = new ArrayList<>(spans.subList(0, i));
      }
      if (out != null) {
        out.add(limited);
      }
    }
    return out == null ? spans : out;
  }

  /** How often each limit took effect: requests refused, or attributes, events, links cut. */
  public long hits(Limit limit) {
    return hits[limit.ordinal()].sum();
  }

  private Span limit(Span span, Resource resource) {
    Attributes attrs = limitAttributes(span.attributes());
    List<SpanEvent> events = limitEvents(span.events());
    List<SpanLink> links = limitLinks(span.links());
    if (attrs == span.attributes() && events == span.events() && links == span.links()
        && resource == span.resource()) {
      return span;
    }
    return span.toBuilder()
        .attributes(attrs)
        .droppedAttributesCount(saturatedAdd(span.droppedAttributesCount(),
            span.attributes().size() - attrs.size()))
        .events(events)
        .droppedEventsCount(saturatedAdd(span.droppedEventsCount(),
            span.events().size() - events.size()))
        .links(links)
        .droppedLinksCount(saturatedAdd(span.droppedLinksCount(),
            span.links().size() - links.size()))
        .resource(resource)
        .build();
  }

  private Resource limitResource(Resource resource) {
    Attributes attrs = limitAttributes(resource.attributes());
    return attrs == resource.attributes() ? resource : new Resource(attrs,
        saturatedAdd(resource.droppedAttributesCount(),
            resource.attributes().size() - attrs.size()));
  }

  private List<SpanEvent> limitEvents(List<SpanEvent> events) {
    List<SpanEvent> kept = cut(events, Limit.EVENTS_PER_SPAN);
    List<SpanEvent> out = null;
    for (int i = 0; i < kept.size(); i++) {
      SpanEvent e = kept.get(i);
      Attributes attrs = limitAttributes(e.attributes());
      if (attrs != e.attributes()) {
        out = out == null ? new ArrayList<>(kept) : out;
        out.set(i, new SpanEvent(e.timeUnixNano(), e.name(), attrs, saturatedAdd(
            e.droppedAttributesCount(), e.attributes().size() - attrs.size())));
      }
    }
    return out == null ? kept : out;
  }

  private List<SpanLink> limitLinks(List<SpanLink> links) {
    List<SpanLink> kept = cut(links, Limit.LINKS_PER_SPAN);
    List<SpanLink> out = null;
    for (int i = 0; i < kept.size(); i++) {
      SpanLink l = kept.get(i);
      Attributes attrs = limitAttributes(l.attributes());
      if (attrs != l.attributes()) {
        out = out == null ? new ArrayList<>(kept) : out;
        out.set(i, new SpanLink(l.traceId(), l.spanId(), l.traceState(), attrs, saturatedAdd(
            l.droppedAttributesCount(), l.attributes().size() - attrs.size()), l.flags()));
      }
    }
    return out == null ? kept : out;
  }

  private <T> List<T> cut(List<T> items, Limit limit) {
    int max = limits.get(limit);
    if (items.size() <= max) {
      return items;
    }
    hits[limit.ordinal()].increment();
    return items.subList(0, max);
  }

  /** Attributes within the limits: the same instance when nothing had to change. */
  private Attributes limitAttributes(Attributes attrs) {
    if (attrs.size() <= maxAttributes && withinLimits(attrs, 0)) {
      return attrs;
    }
    Attributes.Builder b = Attributes.builder(Math.min(attrs.size(), maxAttributes));
    for (int i = 0; i < attrs.size(); i++) {
      if (b.size() == maxAttributes) {
        hits[Limit.ATTRIBUTES_PER_SPAN.ordinal()].increment();
        break;
      }
      String key = attrs.key(i);
      AttributeValue value = attrs.value(i);
      if (key.length() > maxKeyLength) {
        hits[Limit.ATTRIBUTE_KEY_LENGTH.ordinal()].increment();
      } else if (depth(value) > maxDepth) {
        hits[Limit.ATTRIBUTE_DEPTH.ordinal()].increment();
      } else {
        b.put(key, truncate(value));
      }
    }
    return b.build();
  }

  private boolean withinLimits(Attributes attrs, int depth) {
    for (int i = 0; i < attrs.size(); i++) {
      if (attrs.key(i).length() > maxKeyLength || !withinLimits(attrs.value(i), depth)) {
        return false;
      }
    }
    return true;
  }

  private boolean withinLimits(AttributeValue value, int depth) {
    return switch (value) {
      case StringValue s -> s.value().length() <= maxValueLength;
      case BytesValue b -> b.value().length <= maxValueLength;
      case ArrayValue a -> depth < maxDepth && withinLimits(a.values(), depth + 1);
      case KeyValueListValue kv -> depth < maxDepth && withinLimits(kv.values(), depth + 1);
      default -> true;
    };
  }

  /** A loop, not a stream: this runs for every array attribute of every span. */
  private boolean withinLimits(List<AttributeValue> values, int depth) {
    for (AttributeValue v : values) {
      if (!withinLimits(v, depth)) {
        return false;
      }
    }
    return true;
  }

  private static int depth(AttributeValue value) {
    return switch (value) {
      case ArrayValue a -> 1 + a.values().stream().mapToInt(SpanLimiter::depth).max().orElse(0);
      case KeyValueListValue kv -> {
        int max = 0;
        for (int i = 0; i < kv.values().size(); i++) {
          max = Math.max(max, depth(kv.values().value(i)));
        }
        yield 1 + max;
      }
      default -> 0;
    };
  }

  /** Long strings and bytes cut to the limit, inside arrays and lists too. */
  private AttributeValue truncate(AttributeValue value) {
    return switch (value) {
      case StringValue s when s.value().length() > maxValueLength -> {
        hits[Limit.ATTRIBUTE_VALUE_LENGTH.ordinal()].increment();
        int end = maxValueLength;
        if (Character.isHighSurrogate(s.value().charAt(end - 1))) {
          end--; // never split a surrogate pair
        }
        yield AttributeValue.of(s.value().substring(0, end));
      }
      case BytesValue b when b.value().length > maxValueLength -> {
        hits[Limit.ATTRIBUTE_VALUE_LENGTH.ordinal()].increment();
        yield new BytesValue(Arrays.copyOf(b.value(), maxValueLength));
      }
      case ArrayValue a -> new ArrayValue(a.values().stream().map(this::truncate).toList());
      case KeyValueListValue kv -> new KeyValueListValue(limitAttributes(kv.values()));
      default -> value;
    };
  }

  private static int saturatedAdd(int a, int b) {
    long sum = (long) a + b;
    return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
  }
}
