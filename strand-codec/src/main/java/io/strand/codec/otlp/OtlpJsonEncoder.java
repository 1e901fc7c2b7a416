package io.strand.codec.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes model spans as an OTLP/JSON {@code ExportTraceServiceRequest}, as the OTLP
 * specification prescribes: lowerCamelCase field names, trace and span ids as lower-case hex,
 * enums as numbers, 64-bit integers as decimal strings, bytes as base64. Fields holding their
 * default value (empty, zero) are omitted. Spans are grouped as in {@link OtlpProtoEncoder}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OtlpJsonEncoder {

  private static final JsonFactory JSON = new JsonFactory();

  /** Creates an encoder. */
  public OtlpJsonEncoder() {}

  /** The UTF-8 JSON of a request holding {@code spans}. */
  public byte[] encode(List<Span> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 512 * spans.size());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      new Writer(g).request(spans);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /** Writes one request; holds a reusable buffer for hex ids. */
  private static final class Writer {
    private final JsonGenerator g;
    private final char[] hex = new char[32];

    Writer(JsonGenerator g) {
      this.g = g;
    }

    void request(List<Span> spans) throws IOException {
      g.writeStartObject();
      g.writeArrayFieldStart("resourceSpans");
      for (SpanGroups.ResourceGroup rg : SpanGroups.group(spans)) {
        g.writeStartObject();
        resource(rg.resource());
        g.writeArrayFieldStart("scopeSpans");
        for (SpanGroups.ScopeGroup sg : rg.scopes()) {
          g.writeStartObject();
          scope(sg.scope());
          g.writeArrayFieldStart("spans");
          for (Span span : sg.spans()) {
            span(span);
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }

    private void resource(Resource resource) throws IOException {
      g.writeObjectFieldStart("resource");
      attributes("attributes", resource.attributes());
      uint32("droppedAttributesCount", resource.droppedAttributesCount());
      g.writeEndObject();
    }

    private void scope(InstrumentationScope scope) throws IOException {
      g.writeObjectFieldStart("scope");
      string("name", scope.name());
      string("version", scope.version());
      attributes("attributes", scope.attributes());
      uint32("droppedAttributesCount", scope.droppedAttributesCount());
      g.writeEndObject();
    }

    private void span(Span span) throws IOException {
      g.writeStartObject();
      traceId("traceId", span.traceId());
      spanId("spanId", span.spanId());
      if (span.parentSpanId() != SpanId.NONE) {
        spanId("parentSpanId", span.parentSpanId());
      }
      string("traceState", span.traceState());
      uint32("flags", span.flags());
      g.writeStringField("name", span.name());
      g.writeNumberField("kind", span.kind().number());
      uint64("startTimeUnixNano", span.startTimeUnixNano());
      uint64("endTimeUnixNano", span.endTimeUnixNano());
      attributes("attributes", span.attributes());
      uint32("droppedAttributesCount", span.droppedAttributesCount());
      if (!span.events().isEmpty()) {
        g.writeArrayFieldStart("events");
        for (SpanEvent e : span.events()) {
          g.writeStartObject();
          uint64("timeUnixNano", e.timeUnixNano());
          g.writeStringField("name", e.name());
          attributes("attributes", e.attributes());
          uint32("droppedAttributesCount", e.droppedAttributesCount());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      uint32("droppedEventsCount", span.droppedEventsCount());
      if (!span.links().isEmpty()) {
        g.writeArrayFieldStart("links");
        for (SpanLink l : span.links()) {
          g.writeStartObject();
          traceId("traceId", l.traceId());
          spanId("spanId", l.spanId());
          string("traceState", l.traceState());
          attributes("attributes", l.attributes());
          uint32("droppedAttributesCount", l.droppedAttributesCount());
          uint32("flags", l.flags());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      uint32("droppedLinksCount", span.droppedLinksCount());
      if (span.statusCode() != StatusCode.UNSET || !span.statusMessage().isEmpty()) {
        g.writeObjectFieldStart("status");
        string("message", span.statusMessage());
        if (span.statusCode() != StatusCode.UNSET) {
          g.writeNumberField("code", span.statusCode().number());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    }

    private void attributes(String field, Attributes attributes) throws IOException {
      if (attributes.isEmpty()) {
        return;
      }
      g.writeArrayFieldStart(field);
      keyValues(attributes);
      g.writeEndArray();
    }

    private void keyValues(Attributes attributes) throws IOException {
      for (int i = 0; i < attributes.size(); i++) {
        g.writeStartObject();
        g.writeStringField("key", attributes.key(i));
        g.writeFieldName("value");
        anyValue(attributes.value(i));
        g.writeEndObject();
      }
    }

    private void anyValue(AttributeValue value) throws IOException {
      g.writeStartObject();
      switch (value) {
        case AttributeValue.StringValue s -> g.writeStringField("stringValue", s.value());
        case AttributeValue.BoolValue b -> g.writeBooleanField("boolValue", b.value());
        case AttributeValue.LongValue l -> g.writeStringField("intValue", Long.toString(l.value()));
        case AttributeValue.DoubleValue d -> {
          double v = d.value();
          if (Double.isFinite(v)) {
            g.writeNumberField("doubleValue", v);
          } else {
            g.writeStringField("doubleValue",
                Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
          }
        }
        case AttributeValue.BytesValue b -> {
          g.writeFieldName("bytesValue");
          g.writeBinary(b.value());
        }
        case AttributeValue.ArrayValue a -> {
          g.writeObjectFieldStart("arrayValue");
          g.writeArrayFieldStart("values");
          for (AttributeValue e : a.values()) {
            anyValue(e);
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        case AttributeValue.KeyValueListValue kvl -> {
          g.writeObjectFieldStart("kvlistValue");
          g.writeArrayFieldStart("values");
          keyValues(kvl.values());
          g.writeEndArray();
          g.writeEndObject();
        }
      }
      g.writeEndObject();
    }

    private void traceId(String field, TraceId id) throws IOException {
      OtlpIds.writeHex(hex, 0, id.high());
      OtlpIds.writeHex(hex, 16, id.low());
      g.writeFieldName(field);
      g.writeString(hex, 0, 32);
    }

    private void spanId(String field, long id) throws IOException {
      OtlpIds.writeHex(hex, 0, id);
      g.writeFieldName(field);
      g.writeString(hex, 0, 16);
    }

    /** A string field, omitted when empty. */
    private void string(String field, String value) throws IOException {
      if (!value.isEmpty()) {
        g.writeStringField(field, value);
      }
    }

    /** A {@code uint32}/{@code fixed32} field, omitted when zero. */
    private void uint32(String field, int value) throws IOException {
      if (value != 0) {
        g.writeNumberField(field, Integer.toUnsignedLong(value));
      }
    }

    /** A {@code fixed64} field as a decimal string, omitted when zero. */
    private void uint64(String field, long value) throws IOException {
      if (value != 0) {
        g.writeStringField(field, Long.toUnsignedString(value));
      }
    }
  }
}
