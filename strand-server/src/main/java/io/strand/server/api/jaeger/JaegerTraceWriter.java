package io.strand.server.api.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a trace in the JSON the Jaeger UI reads ({@code /api/traces}), mapping OpenTelemetry
 * fields the way Jaeger maps OTLP:
 *
 * <ul>
 *   <li>each distinct resource is a process ({@code p1}, {@code p2}, ... in order of first use):
 *       {@code service.name} is its service name, its other attributes its tags
 *   <li>the parent is a {@code CHILD_OF} reference, listed first; links are {@code FOLLOWS_FROM}
 *       (or {@code CHILD_OF} when the link says {@code opentracing.ref_type=child_of})
 *   <li>tags: {@code otel.scope.name}/{@code otel.scope.version}, the span's attributes, {@code
 *       span.kind} in lower case, {@code otel.status_code} for OK and ERROR, {@code error=true}
 *       (a bool) for ERROR, {@code otel.status_description}, {@code w3c.tracestate}
 *   <li>events are logs: an {@code event} field with the name, then the event's attributes
 *   <li>times and durations in microseconds, rounded down; W3C trace flags as {@code flags}
 * </ul>
 */
final class JaegerTraceWriter {
  private static final String CHILD_OF = "CHILD_OF";
  private static final String FOLLOWS_FROM = "FOLLOWS_FROM";
  private static final String REF_TYPE = "opentracing.ref_type";

  private JaegerTraceWriter() {}

  /** Writes {@code {"traceID", "spans", "processes", "warnings"}}; {@code spans} is not empty. */
  static void trace(JsonGenerator g, List<Span> spans) throws IOException {
    Map<Resource, String> processIds = new LinkedHashMap<>();
    for (Span s : spans) {
      if (!processIds.containsKey(s.resource())) {
        processIds.put(s.resource(), "p" + (processIds.size() + 1));
      }
    }
    g.writeStartObject();
    g.writeStringField("traceID", JaegerIds.toText(spans.get(0).traceId()));
    g.writeArrayFieldStart("spans");
    for (Span s : spans) {
      span(g, s, processIds.get(s.resource()));
    }
    g.writeEndArray();
    g.writeObjectFieldStart("processes");
    for (Map.Entry<Resource, String> p : processIds.entrySet()) {
      g.writeObjectFieldStart(p.getValue());
      g.writeStringField("serviceName", p.getKey().serviceName());
      g.writeArrayFieldStart("tags");
      Attributes attributes = p.getKey().attributes();
      for (int i = 0; i < attributes.size(); i++) {
        if (!attributes.key(i).equals(Resource.SERVICE_NAME)) {
          JaegerTags.write(g, attributes.key(i), attributes.value(i));
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeNullField("warnings");
    g.writeEndObject();
  }

  private static void span(JsonGenerator g, Span s, String processId) throws IOException {
    String traceId = JaegerIds.toText(s.traceId());
    g.writeStartObject();
    g.writeStringField("traceID", traceId);
    g.writeStringField("spanID", SpanId.toHex(s.spanId()));
    int flags = s.flags() & 0xff; // the W3C trace flags; higher bits are OTLP's own
    if (flags != 0) {
      g.writeNumberField("flags", flags);
    }
    g.writeStringField("operationName", s.name());
    g.writeArrayFieldStart("references");
    for (Reference r : references(s)) {
      g.writeStartObject();
      g.writeStringField("refType", r.type());
      g.writeStringField("traceID", r.traceId());
      g.writeStringField("spanID", r.spanId());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("startTime", s.startTimeUnixNano() / 1_000);
    g.writeNumberField("duration", s.durationNanos() / 1_000);
    g.writeArrayFieldStart("tags");
    tags(g, s);
    g.writeEndArray();
    g.writeArrayFieldStart("logs");
    for (SpanEvent e : s.events()) {
      g.writeStartObject();
      g.writeNumberField("timestamp", e.timeUnixNano() / 1_000);
      g.writeArrayFieldStart("fields");
      if (!e.name().isEmpty() && e.attributes().get("event") == null) {
        JaegerTags.write(g, "event", AttributeValue.of(e.name()));
      }
      writeAll(g, e.attributes());
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("processID", processId);
    g.writeNullField("warnings");
    g.writeEndObject();
  }

  private record Reference(String type, String traceId, String spanId) {}

  private static List<Reference> references(Span s) {
    List<Reference> refs = new ArrayList<>(1 + s.links().size());
    if (!s.isRoot()) {
      refs.add(new Reference(CHILD_OF, JaegerIds.toText(s.traceId()),
          SpanId.toHex(s.parentSpanId())));
    }
    for (SpanLink link : s.links()) {
      String type = "child_of".equals(link.attributes().getText(REF_TYPE)) ? CHILD_OF
          : FOLLOWS_FROM;
      if (!s.isRoot() && link.traceId().equals(s.traceId())
          && link.spanId() == s.parentSpanId()) {
        // The link names the parent itself: one reference, typed as the link says.
        refs.set(0, new Reference(type, refs.get(0).traceId(), refs.get(0).spanId()));
        continue;
      }
      refs.add(new Reference(type, JaegerIds.toText(link.traceId()),
          SpanId.toHex(link.spanId())));
    }
    return refs;
  }

  private static void tags(JsonGenerator g, Span s) throws IOException {
    InstrumentationScope scope = s.scope();
    if (!scope.name().isEmpty()) {
      JaegerTags.write(g, JaegerTags.SCOPE_NAME, AttributeValue.of(scope.name()));
    }
    if (!scope.version().isEmpty()) {
      JaegerTags.write(g, JaegerTags.SCOPE_VERSION, AttributeValue.of(scope.version()));
    }
    writeAll(g, s.attributes());
    if (s.kind() != SpanKind.UNSPECIFIED) {
      JaegerTags.write(g, JaegerTags.SPAN_KIND,
          AttributeValue.of(s.kind().name().toLowerCase(Locale.ROOT)));
    }
    if (s.statusCode() != StatusCode.UNSET) {
      JaegerTags.write(g, JaegerTags.STATUS_CODE, AttributeValue.of(s.statusCode().name()));
    }
    if (s.statusCode() == StatusCode.ERROR) {
      JaegerTags.write(g, JaegerTags.ERROR, AttributeValue.of(true));
    }
    if (!s.statusMessage().isEmpty()) {
      JaegerTags.write(g, JaegerTags.STATUS_DESCRIPTION, AttributeValue.of(s.statusMessage()));
    }
    if (!s.traceState().isEmpty()) {
      JaegerTags.write(g, JaegerTags.TRACE_STATE, AttributeValue.of(s.traceState()));
    }
  }

  private static void writeAll(JsonGenerator g, Attributes attributes) throws IOException {
    for (int i = 0; i < attributes.size(); i++) {
      JaegerTags.write(g, attributes.key(i), attributes.value(i));
    }
  }
}
