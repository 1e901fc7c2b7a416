package io.strand.codec.otlp;

import io.strand.codec.DecodedBatch;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Streams one OTLP JSON {@code ExportTraceServiceRequest} into model spans; single use. Accepts
 * the lowerCamelCase names of the OTLP JSON encoding and the original snake_case proto names, in
 * any order: spans read before their {@code resource} or {@code scope} field are re-pointed to it
 * afterwards.
 */
final class OtlpJsonReader {

  private static final SpanKind[] KINDS = SpanKind.values();
  private static final StatusCode[] CODES = StatusCode.values();
  private static final String MISSING_TRACE_ID = "traceId must be 32 hex digits, got 0 characters";
  private static final String MISSING_SPAN_ID = "spanId must be 16 hex digits, got 0 characters";

  private final JsonCursor c;
  private final List<Span> spans = new ArrayList<>();
  private final RejectedSpans rejected = new RejectedSpans();

  /** Output of {@link #readId}: the id's high and low 64 bits (span ids use only the low). */
  private long idHigh;
  private long idLow;

  OtlpJsonReader(JsonCursor cursor) {
    this.c = cursor;
  }

  /** Reads the whole document. */
  DecodedBatch read() throws IOException {
    c.startDocument();
    while (c.nextField()) {
      switch (c.name()) {
        case "resourceSpans", "resource_spans" -> {
          if (c.startArray("resourceSpans")) {
            for (int r = 0; c.nextElement(); r++) {
              resourceSpans(r);
            }
          }
        }
        default -> c.skip();
      }
    }
    c.endDocument();
    return rejected.batch(spans);
  }

  private void resourceSpans(int r) throws IOException {
    if (!c.startObject("resourceSpans")) {
      return;
    }
    int first = spans.size();
    Resource resource = Resource.EMPTY;
    while (c.nextField()) {
      switch (c.name()) {
        case "resource" -> resource = resource();
        case "scopeSpans", "scope_spans" -> {
          if (c.startArray("scopeSpans")) {
            for (int s = 0; c.nextElement(); s++) {
              scopeSpans(r, s, resource);
            }
          }
        }
        default -> c.skip();
      }
    }
    repointSince(first, resource, Span::resource, Span.Builder::resource);
  }

  private Resource resource() throws IOException {
    if (!c.startObject("resource")) {
      return Resource.EMPTY;
    }
    Attributes attributes = Attributes.EMPTY;
    int dropped = 0;
    while (c.nextField()) {
      switch (c.name()) {
        case "attributes" -> attributes = JsonAttributes.read(c, "resource.attributes", 1);
        case "droppedAttributesCount", "dropped_attributes_count" ->
            dropped = c.uint32("droppedAttributesCount");
        default -> c.skip();
      }
    }
    return attributes.isEmpty() && dropped == 0
        ? Resource.EMPTY
        : new Resource(attributes, dropped);
  }

  private void scopeSpans(int r, int s, Resource resource) throws IOException {
    if (!c.startObject("scopeSpans")) {
      return;
    }
    int first = spans.size();
    InstrumentationScope scope = InstrumentationScope.EMPTY;
    while (c.nextField()) {
      switch (c.name()) {
        case "scope" -> scope = scope();
        case "spans" -> {
          if (c.startArray("spans")) {
            for (int i = 0; c.nextElement(); i++) {
              span(r, s, i, resource, scope);
            }
          }
        }
        default -> c.skip();
      }
    }
    repointSince(first, scope, Span::scope, Span.Builder::scope);
  }

  /**
   * Gives the spans read since index {@code first} the {@code value} (resource or scope) of the
   * object that encloses them, which the document may give after them.
   */
  private <T> void repointSince(
      int first, T value, Function<Span, T> field, BiFunction<Span.Builder, T, Span.Builder> set) {
    for (int i = first; i < spans.size(); i++) {
      Span span = spans.get(i);
      if (field.apply(span) != value) {
        spans.set(i, set.apply(span.toBuilder(), value).build());
      }
    }
  }

  private InstrumentationScope scope() throws IOException {
    if (!c.startObject("scope")) {
      return InstrumentationScope.EMPTY;
    }
    String name = "";
    String version = "";
    Attributes attributes = Attributes.EMPTY;
    int dropped = 0;
    while (c.nextField()) {
      switch (c.name()) {
        case "name" -> name = c.string("scope.name");
        case "version" -> version = c.string("scope.version");
        case "attributes" -> attributes = JsonAttributes.read(c, "scope.attributes", 1);
        case "droppedAttributesCount", "dropped_attributes_count" ->
            dropped = c.uint32("droppedAttributesCount");
        default -> c.skip();
      }
    }
    InstrumentationScope scope = new InstrumentationScope(name, version, attributes, dropped);
    return scope.equals(InstrumentationScope.EMPTY) ? InstrumentationScope.EMPTY : scope;
  }

  private void span(int r, int s, int i, Resource resource, InstrumentationScope scope)
      throws IOException {
    if (!c.startObject("span")) {
      return;
    }
    String traceIdError = MISSING_TRACE_ID;
    String spanIdError = MISSING_SPAN_ID;
    String parentError = null;
    long traceHigh = 0;
    long traceLow = 0;
    long spanId = 0;
    long parentSpanId = SpanId.NONE;
    String traceState = "";
    int flags = 0;
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    int statusCode = 0;
    String statusMessage = "";
    Attributes attributes = Attributes.EMPTY;
    int droppedAttributes = 0;
    List<SpanEvent> events = List.of();
    int droppedEvents = 0;
    List<SpanLink> links = List.of();
    int invalidLinks = 0;
    int droppedLinks = 0;
    while (c.nextField()) {
      switch (c.name()) {
        case "traceId", "trace_id" -> {
          traceIdError = readId(32, "traceId");
          traceHigh = idHigh;
          traceLow = idLow;
        }
        case "spanId", "span_id" -> {
          spanIdError = readId(16, "spanId");
          spanId = idLow;
        }
        case "parentSpanId", "parent_span_id" -> {
          boolean empty = c.isNull() || (c.isString() && c.textLength() == 0);
          parentError = empty ? null : readId(16, "parentSpanId");
          parentSpanId = empty ? SpanId.NONE : idLow;
        }
        case "traceState", "trace_state" -> traceState = c.string("traceState");
        case "flags" -> flags = c.uint32("flags");
        case "name" -> name = c.string("name");
        case "kind" -> kind = c.enumNumber("kind", "SPAN_KIND_", KINDS);
        case "startTimeUnixNano", "start_time_unix_nano" -> start = c.uint64("startTimeUnixNano");
        case "endTimeUnixNano", "end_time_unix_nano" -> end = c.uint64("endTimeUnixNano");
        case "attributes" -> attributes = JsonAttributes.read(c, "attributes", 1);
        case "droppedAttributesCount", "dropped_attributes_count" ->
            droppedAttributes = c.uint32("droppedAttributesCount");
        case "events" -> events = events();
        case "droppedEventsCount", "dropped_events_count" ->
            droppedEvents = c.uint32("droppedEventsCount");
        case "links" -> {
          if (c.startArray("links")) {
            links = new ArrayList<>();
            while (c.nextElement()) {
              SpanLink link = link();
              if (link != null) {
                links.add(link);
              } else if (!c.isNull()) {
                invalidLinks++;
              }
            }
          }
        }
        case "droppedLinksCount", "dropped_links_count" ->
            droppedLinks = c.uint32("droppedLinksCount");
        case "status" -> {
          if (c.startObject("status")) {
            while (c.nextField()) {
              switch (c.name()) {
                case "code" -> statusCode = c.enumNumber("status.code", "STATUS_CODE_", CODES);
                case "message" -> statusMessage = c.string("status.message");
                default -> c.skip();
              }
            }
          }
        }
        default -> c.skip();
      }
    }
    String error =
        traceIdError != null ? traceIdError : spanIdError != null ? spanIdError : parentError;
    if (error != null) {
      rejected.add(r, s, i, error);
      return;
    }
    spans.add(new Span(new TraceId(traceHigh, traceLow), spanId, parentSpanId, traceState, flags,
        name, SpanKind.forNumber(kind), start, end, StatusCode.forNumber(statusCode),
        statusMessage, attributes, droppedAttributes, events, droppedEvents, links,
        droppedLinks + invalidLinks, resource, scope));
  }

  private List<SpanEvent> events() throws IOException {
    if (!c.startArray("events")) {
      return List.of();
    }
    List<SpanEvent> events = new ArrayList<>();
    while (c.nextElement()) {
      if (!c.startObject("event")) {
        continue;
      }
      long time = 0;
      String name = "";
      Attributes attributes = Attributes.EMPTY;
      int dropped = 0;
      while (c.nextField()) {
        switch (c.name()) {
          case "timeUnixNano", "time_unix_nano" -> time = c.uint64("event.timeUnixNano");
          case "name" -> name = c.string("event.name");
          case "attributes" -> attributes = JsonAttributes.read(c, "event.attributes", 1);
          case "droppedAttributesCount", "dropped_attributes_count" ->
              dropped = c.uint32("event.droppedAttributesCount");
          default -> c.skip();
        }
      }
      events.add(new SpanEvent(time, name, attributes, dropped));
    }
    return events;
  }

  /** Reads one link; {@code null} when it is JSON null or its ids are invalid. */
  private SpanLink link() throws IOException {
    if (!c.startObject("link")) {
      return null;
    }
    String traceIdError = MISSING_TRACE_ID;
    String spanIdError = MISSING_SPAN_ID;
    long traceHigh = 0;
    long traceLow = 0;
    long spanId = 0;
    String traceState = "";
    Attributes attributes = Attributes.EMPTY;
    int dropped = 0;
    int flags = 0;
    while (c.nextField()) {
      switch (c.name()) {
        case "traceId", "trace_id" -> {
          traceIdError = readId(32, "link.traceId");
          traceHigh = idHigh;
          traceLow = idLow;
        }
        case "spanId", "span_id" -> {
          spanIdError = readId(16, "link.spanId");
          spanId = idLow;
        }
        case "traceState", "trace_state" -> traceState = c.string("link.traceState");
        case "attributes" -> attributes = JsonAttributes.read(c, "link.attributes", 1);
        case "droppedAttributesCount", "dropped_attributes_count" ->
            dropped = c.uint32("link.droppedAttributesCount");
        case "flags" -> flags = c.uint32("link.flags");
        default -> c.skip();
      }
    }
    if (traceIdError != null || spanIdError != null) {
      return null;
    }
    return new SpanLink(new TraceId(traceHigh, traceLow), spanId, traceState, attributes, dropped,
        flags);
  }

  /**
   * Reads a hex id of {@code digits} digits into {@link #idHigh}/{@link #idLow}.
   *
   * @return why the id is invalid, or {@code null}
   */
  private String readId(int digits, String field) throws IOException {
    idHigh = 0;
    idLow = 0;
    if (!c.isString()) {
      if (c.isNull()) {
        return field + " must be " + digits + " hex digits, got 0 characters";
      }
      c.skip();
      return field + " must be a hex string";
    }
    char[] chars = c.textChars();
    int off = c.textOffset();
    String error = OtlpIds.checkHex(chars, off, c.textLength(), digits, field);
    if (error == null) {
      if (digits == 32) {
        idHigh = OtlpIds.hexLong(chars, off);
        off += 16;
      }
      idLow = OtlpIds.hexLong(chars, off);
    }
    return error;
  }
}
