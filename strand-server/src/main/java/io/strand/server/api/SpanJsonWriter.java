package io.strand.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanLink;
import io.strand.model.TraceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * Writes traces in Strand's own JSON shape (the {@code /api/v1} read API): ids in hex, times in
 * nanoseconds, kinds and status codes as names, attributes as plain JSON values (bytes base64).
 */
final class SpanJsonWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private SpanJsonWriter() {}

  /** {@code {"traceId":..., "spans":[...]}}. */
  static byte[] trace(TraceId traceId, List<Span> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512 * (spans.size() + 1));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("traceId", traceId.toHex());
      g.writeArrayFieldStart("spans");
      for (Span s : spans) {
        span(g, s);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void span(JsonGenerator g, Span s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", s.traceId().toHex());
    g.writeStringField("spanId", SpanId.toHex(s.spanId()));
    if (!s.isRoot()) {
      g.writeStringField("parentSpanId", SpanId.toHex(s.parentSpanId()));
    }
    if (!s.traceState().isEmpty()) {
      g.writeStringField("traceState", s.traceState());
    }
    g.writeNumberField("flags", s.flags());
    g.writeStringField("name", s.name());
    g.writeStringField("kind", s.kind().name());
    g.writeNumberField("startTimeUnixNano", s.startTimeUnixNano());
    g.writeNumberField("endTimeUnixNano", s.endTimeUnixNano());
    g.writeNumberField("durationNanos", s.durationNanos());
    g.writeObjectFieldStart("status");
    g.writeStringField("code", s.statusCode().name());
    g.writeStringField("message", s.statusMessage());
    g.writeEndObject();
    g.writeStringField("service", s.serviceName());
    g.writeFieldName("attributes");
    attributes(g, s.attributes());
    g.writeNumberField("droppedAttributesCount", s.droppedAttributesCount());
    g.writeFieldName("resource");
    attributes(g, s.resource().attributes());
    g.writeObjectFieldStart("scope");
    g.writeStringField("name", s.scope().name());
    g.writeStringField("version", s.scope().version());
    g.writeEndObject();
    g.writeArrayFieldStart("events");
    for (SpanEvent e : s.events()) {
      g.writeStartObject();
      g.writeNumberField("timeUnixNano", e.timeUnixNano());
      g.writeStringField("name", e.name());
      g.writeFieldName("attributes");
      attributes(g, e.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("droppedEventsCount", s.droppedEventsCount());
    g.writeArrayFieldStart("links");
    for (SpanLink l : s.links()) {
      g.writeStartObject();
      g.writeStringField("traceId", l.traceId().toHex());
      g.writeStringField("spanId", SpanId.toHex(l.spanId()));
      g.writeStringField("traceState", l.traceState());
      g.writeFieldName("attributes");
      attributes(g, l.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("droppedLinksCount", s.droppedLinksCount());
    g.writeEndObject();
  }

  private static void attributes(JsonGenerator g, Attributes a) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < a.size(); i++) {
      g.writeFieldName(a.key(i));
      value(g, a.value(i));
    }
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, AttributeValue v) throws IOException {
    switch (v) {
      case AttributeValue.StringValue s -> g.writeString(s.value());
      case AttributeValue.BoolValue b -> g.writeBoolean(b.value());
      case AttributeValue.LongValue l -> g.writeNumber(l.value());
      case AttributeValue.DoubleValue d -> g.writeNumber(d.value());
      case AttributeValue.BytesValue b -> g.writeString(Base64.getEncoder().encodeToString(
          b.value()));
      case AttributeValue.ArrayValue a -> {
        g.writeStartArray();
        for (AttributeValue e : a.values()) {
          value(g, e);
        }
        g.writeEndArray();
      }
      case AttributeValue.KeyValueListValue kv -> attributes(g, kv.values());
    }
  }
}
