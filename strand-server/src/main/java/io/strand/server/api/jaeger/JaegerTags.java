package io.strand.server.api.jaeger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Jaeger's typed tags, {@code {"key", "type", "value"}}, and the tag keys Jaeger derives from
 * OpenTelemetry span fields.
 *
 * <p>Types: strings {@code string}, booleans {@code bool}, integers {@code int64}, doubles
 * {@code float64}, bytes {@code binary} (base64). Arrays and key/value lists have no Jaeger type
 * and become {@code string}s holding their JSON, as Jaeger does. An integer beyond JavaScript's
 * exact range (±2<sup>53</sup>−1) is written as a JSON string, and a non-finite double as its
 * name, so the UI shows them exactly rather than rounded or not at all.
 */
final class JaegerTags {
  static final String SPAN_KIND = "span.kind";
  static final String ERROR = "error";
  static final String STATUS_CODE = "otel.status_code";
  static final String STATUS_DESCRIPTION = "otel.status_description";
  static final String SCOPE_NAME = "otel.scope.name";
  static final String SCOPE_VERSION = "otel.scope.version";
  static final String TRACE_STATE = "w3c.tracestate";

  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final JsonFactory JSON = new JsonFactory();

  private JaegerTags() {}

  /** Writes one tag object. */
  static void write(JsonGenerator g, String key, AttributeValue value) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", key);
    switch (value) {
      case AttributeValue.StringValue s -> {
        g.writeStringField("type", "string");
        g.writeStringField("value", s.value());
      }
      case AttributeValue.BoolValue b -> {
        g.writeStringField("type", "bool");
        g.writeBooleanField("value", b.value());
      }
      case AttributeValue.LongValue l -> {
        g.writeStringField("type", "int64");
        if (Math.abs(l.value()) <= MAX_SAFE_INTEGER) {
          g.writeNumberField("value", l.value());
        } else {
          g.writeStringField("value", Long.toString(l.value()));
        }
      }
      case AttributeValue.DoubleValue d -> {
        g.writeStringField("type", "float64");
        if (Double.isFinite(d.value())) {
          g.writeNumberField("value", d.value());
        } else {
          g.writeStringField("value", Double.toString(d.value()));
        }
      }
      case AttributeValue.BytesValue b -> {
        g.writeStringField("type", "binary");
        g.writeStringField("value", Base64.getEncoder().encodeToString(b.value()));
      }
      case AttributeValue.ArrayValue a -> {
        g.writeStringField("type", "string");
        g.writeStringField("value", jsonText(a));
      }
      case AttributeValue.KeyValueListValue kv -> {
        g.writeStringField("type", "string");
        g.writeStringField("value", jsonText(kv));
      }
    }
    g.writeEndObject();
  }

  /** An array or key/value list as proper JSON text (bytes as base64 strings). */
  static String jsonText(AttributeValue value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      json(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void json(JsonGenerator g, AttributeValue value) throws IOException {
    switch (value) {
      case AttributeValue.StringValue s -> g.writeString(s.value());
      case AttributeValue.BoolValue b -> g.writeBoolean(b.value());
      case AttributeValue.LongValue l -> g.writeNumber(l.value());
      case AttributeValue.DoubleValue d -> {
        if (Double.isFinite(d.value())) {
          g.writeNumber(d.value());
        } else {
          g.writeString(Double.toString(d.value()));
        }
      }
      case AttributeValue.BytesValue b ->
          g.writeString(Base64.getEncoder().encodeToString(b.value()));
      case AttributeValue.ArrayValue a -> {
        g.writeStartArray();
        for (AttributeValue v : a.values()) {
          json(g, v);
        }
        g.writeEndArray();
      }
      case AttributeValue.KeyValueListValue kv -> {
        Attributes attributes = kv.values();
        g.writeStartObject();
        for (int i = 0; i < attributes.size(); i++) {
          g.writeFieldName(attributes.key(i));
          json(g, attributes.value(i));
        }
        g.writeEndObject();
      }
    }
  }
}
