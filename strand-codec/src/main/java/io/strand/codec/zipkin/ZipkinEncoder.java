package io.strand.codec.zipkin;

import static io.strand.codec.zipkin.ZipkinKeys.*;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.StatusCode;
import java.util.ArrayList;
import java.util.List;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

/**
 * Converts model spans to Zipkin v2 spans following the OpenTelemetry-to-Zipkin transformation,
 * so the Zipkin read API can answer in Zipkin's own format. The inverse of {@link ZipkinDecoder}:
 * a Zipkin span decoded and encoded again is unchanged, except that an {@code error} tag gains the
 * {@code otel.status_code=ERROR} tag the transformation requires.
 *
 * <ul>
 *   <li>local endpoint: service name from the resource ({@code unknown_service} when absent), IPs
 *       from {@code host.ip}, port from {@code net.host.port}
 *   <li>remote endpoint: service from {@code peer.service} (then {@code server.address}, {@code
 *       net.peer.name}, ...), IPs from {@code net.peer.ip}, {@code net.sock.peer.addr}, {@code
 *       network.peer.address}, ..., port from {@code net.peer.port}, {@code network.peer.port}, ...
 *   <li>kind: INTERNAL and UNSPECIFIED become absent; nanos become micros; events become
 *       annotations ({@code "name":{"key":value}} when the event has attributes)
 *   <li>tags: scope attributes, then span attributes as text; scope as {@code otel.scope.*} and
 *       {@code otel.library.*}; non-zero dropped counts as {@code otel.dropped_*_count}; status as
 *       {@code otel.status_code} plus, for ERROR, {@code error} = message (may be empty)
 *   <li>{@code zipkin.shared}/{@code zipkin.debug} attributes become the {@code shared}/{@code
 *       debug} flags; links, trace state and flags have no Zipkin equivalent and are left out
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ZipkinEncoder {

  /** Creates an encoder. */
  public ZipkinEncoder() {}

  /** Converts one span. */
  public zipkin2.Span toZipkin(Span span) {
    return toZipkin(span, localEndpoint(span.resource()));
  }

  /** Converts spans in order, computing each distinct resource's local endpoint once per run. */
  public List<zipkin2.Span> toZipkin(List<Span> spans) {
    List<zipkin2.Span> out = new ArrayList<>(spans.size());
    Resource lastResource = null;
    Endpoint local = null;
    for (Span span : spans) {
      if (span.resource() != lastResource) {
        lastResource = span.resource();
        local = localEndpoint(lastResource);
      }
      out.add(toZipkin(span, local));
    }
    return out;
  }

  /** A JSON array of Zipkin v2 spans, as {@code GET /api/v2/trace/{id}} answers. */
  public byte[] encodeJson(List<Span> spans) {
    return SpanBytesEncoder.JSON_V2.encodeList(toZipkin(spans));
  }

  private static zipkin2.Span toZipkin(Span span, Endpoint local) {
    zipkin2.Span.Builder b = zipkin2.Span.newBuilder()
        .traceId(span.traceId().high(), span.traceId().low())
        .id(span.spanId())
        .parentId(span.parentSpanId())
        .name(span.name())
        .kind(kind(span))
        .localEndpoint(local);
    long start = span.startTimeUnixNano();
    if (start != 0) {
      b.timestamp(start / 1000);
    }
    if (span.endTimeUnixNano() > start) {
      b.duration(Math.max(1, (span.endTimeUnixNano() - start) / 1000));
    }
    for (SpanEvent e : span.events()) {
      b.addAnnotation(e.timeUnixNano() / 1000, annotationValue(e));
    }
    RemoteEndpoint remote = new RemoteEndpoint();
    b.remoteEndpoint(remote.resolve(span.attributes()));
    tags(span, remote, b);
    return b.build();
  }

  private static zipkin2.Span.Kind kind(Span span) {
    return switch (span.kind()) {
      case CLIENT -> zipkin2.Span.Kind.CLIENT;
      case SERVER -> zipkin2.Span.Kind.SERVER;
      case PRODUCER -> zipkin2.Span.Kind.PRODUCER;
      case CONSUMER -> zipkin2.Span.Kind.CONSUMER;
      case INTERNAL, UNSPECIFIED -> null;
    };
  }

  private static void tags(Span span, RemoteEndpoint remote, zipkin2.Span.Builder b) {
    InstrumentationScope scope = span.scope();
    putTags(scope.attributes(), b);
    putTag(b, SCOPE_NAME, scope.name());
    putTag(b, LIBRARY_NAME, scope.name());
    putTag(b, SCOPE_VERSION, scope.version());
    putTag(b, LIBRARY_VERSION, scope.version());

    Attributes attributes = span.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      AttributeValue value = attributes.value(i);
      switch (key) {
        case ZIPKIN_SHARED -> b.shared(isTrue(value));
        case ZIPKIN_DEBUG -> b.debug(isTrue(value));
        case ERROR -> {
          // a false error flag would make Zipkin show the span as failed: leave it out
          if (!value.asText().equals("false")) {
            b.putTag(key, value.asText());
          }
        }
        default -> {
          if (!remote.consumed(key)) {
            b.putTag(key, value.asText());
          }
        }
      }
    }

    putCount(b, DROPPED_ATTRIBUTES, span.droppedAttributesCount());
    putCount(b, DROPPED_EVENTS, span.droppedEventsCount());
    putCount(b, DROPPED_LINKS, span.droppedLinksCount());
    if (span.statusCode() != StatusCode.UNSET) {
      b.putTag(STATUS_CODE, span.statusCode().name());
    }
    if (span.statusCode() == StatusCode.ERROR) {
      b.putTag(ERROR, span.statusMessage());
    }
  }

  private static void putTags(Attributes attributes, zipkin2.Span.Builder b) {
    for (int i = 0; i < attributes.size(); i++) {
      b.putTag(attributes.key(i), attributes.value(i).asText());
    }
  }

  private static void putTag(zipkin2.Span.Builder b, String key, String value) {
    if (!value.isEmpty()) {
      b.putTag(key, value);
    }
  }

  private static void putCount(zipkin2.Span.Builder b, String key, int count) {
    if (count != 0) {
      b.putTag(key, Integer.toUnsignedString(count));
    }
  }

  private static boolean isTrue(AttributeValue value) {
    return value.asText().equals("true");
  }

  /** The event name, followed by its attributes as a JSON object when it has any. */
  private static String annotationValue(SpanEvent e) {
    Attributes attributes = e.attributes();
    if (attributes.isEmpty()) {
      return e.name();
    }
    JsonStringEncoder json = JsonStringEncoder.getInstance();
    StringBuilder sb = new StringBuilder(e.name().length() + 16 * attributes.size());
    sb.append('"');
    json.quoteAsString(e.name(), sb);
    sb.append("\":{");
    for (int i = 0; i < attributes.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"');
      json.quoteAsString(attributes.key(i), sb);
      sb.append("\":");
      AttributeValue v = attributes.value(i);
      boolean bare = v instanceof AttributeValue.BoolValue
          || v instanceof AttributeValue.LongValue
          || v instanceof AttributeValue.ArrayValue
          || v instanceof AttributeValue.KeyValueListValue
          || (v instanceof AttributeValue.DoubleValue d && Double.isFinite(d.value()));
      if (bare) {
        sb.append(v.asText());
      } else {
        sb.append('"');
        json.quoteAsString(v.asText(), sb);
        sb.append('"');
      }
    }
    return sb.append('}').toString();
  }

  /** The local endpoint for a resource. */
  private static Endpoint localEndpoint(Resource resource) {
    Endpoint.Builder b = Endpoint.newBuilder().serviceName(resource.serviceName());
    AttributeValue ips = resource.attributes().get(HOST_IP);
    if (ips instanceof AttributeValue.StringValue s) {
      b.parseIp(s.value());
    } else if (ips instanceof AttributeValue.ArrayValue a) {
      for (AttributeValue ip : a.values()) {
        if (ip instanceof AttributeValue.StringValue s) {
          b.parseIp(s.value());
        }
      }
    }
    int port = RemoteEndpoint.port(resource.attributes().get(NET_HOST_PORT));
    if (port > 0) {
      b.port(port);
    }
    return b.build();
  }
}
