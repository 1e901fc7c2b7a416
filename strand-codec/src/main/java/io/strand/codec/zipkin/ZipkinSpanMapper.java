package io.strand.codec.zipkin;

import static io.strand.codec.zipkin.ZipkinKeys.*;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zipkin2.Annotation;
import zipkin2.Endpoint;

/**
 * Maps Zipkin v2 spans to model spans as documented on {@link ZipkinDecoder}. Use one instance per
 * batch: it hands out one shared {@link Resource} per distinct local endpoint and one {@link
 * InstrumentationScope} per distinct scope name and version.
 */
final class ZipkinSpanMapper {

  private final Map<Endpoint, Resource> resources = new HashMap<>();
  private final Map<String, InstrumentationScope> scopes = new HashMap<>();
  private Endpoint lastEndpoint;
  private Resource lastResource;

  /**
   * Maps one span.
   *
   * @throws IllegalArgumentException when an id is not valid in the model (for example all zeros)
   */
  /**
   * Zipkin's microseconds as nanoseconds; past year 2262 they no longer fit, and a silently
   * wrapped time would file the span centuries away.
   */
  private static long nanos(long micros, String field) {
    if (micros > Long.MAX_VALUE / 1000 || micros < 0) {
      throw new IllegalArgumentException(field + " " + micros
          + " µs is out of range (0 to " + Long.MAX_VALUE / 1000 + ", up to year 2262)");
    }
    return micros * 1000;
  }

  Span toModel(zipkin2.Span z) {
    TraceId traceId = TraceId.fromHex(z.traceId());
    long id = SpanId.fromHex(z.id(), "id");
    long parentId = z.parentId() == null ? SpanId.NONE : SpanId.fromHex(z.parentId(), "parentId");
    long start = nanos(z.timestampAsLong(), "timestamp");
    long end = start + nanos(z.durationAsLong(), "duration");

    Map<String, String> tags = z.tags();
    Attributes.Builder attributes = Attributes.builder(tags.size() + 4);
    remoteEndpoint(z.remoteEndpoint(), attributes);
    String errorTag = null;
    String codeTag = null;
    String description = null;
    String scopeName = null;
    String scopeVersion = null;
    int droppedAttributes = 0;
    int droppedEvents = 0;
    int droppedLinks = 0;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      switch (key) {
        case ERROR -> errorTag = value;
        case STATUS_CODE -> codeTag = value;
        case STATUS_DESCRIPTION -> description = value;
        case SCOPE_NAME -> scopeName = value;
        case SCOPE_VERSION -> scopeVersion = value;
        case LIBRARY_NAME -> scopeName = scopeName == null ? value : scopeName;
        case LIBRARY_VERSION -> scopeVersion = scopeVersion == null ? value : scopeVersion;
        case DROPPED_ATTRIBUTES -> droppedAttributes = count(attributes, key, value);
        case DROPPED_EVENTS -> droppedEvents = count(attributes, key, value);
        case DROPPED_LINKS -> droppedLinks = count(attributes, key, value);
        default -> attributes.put(key, value);
      }
    }
    if (Boolean.TRUE.equals(z.shared())) {
      attributes.put(ZIPKIN_SHARED, true);
    }
    if (Boolean.TRUE.equals(z.debug())) {
      attributes.put(ZIPKIN_DEBUG, true);
    }

    StatusCode code = StatusCode.UNSET;
    String message = "";
    if (codeTag != null) {
      code = switch (codeTag) {
        case "ERROR" -> StatusCode.ERROR;
        case "OK" -> StatusCode.OK;
        default -> {
          attributes.put(STATUS_CODE, codeTag); // not a status code we know: keep it
          yield StatusCode.UNSET;
        }
      };
    }
    if (errorTag != null && !errorTag.equals("false")) {
      code = StatusCode.ERROR;
      message = errorTag;
    }
    if (description != null) {
      if (code == StatusCode.ERROR && message.isEmpty()) {
        message = description;
      } else if (code != StatusCode.ERROR) {
        attributes.put(STATUS_DESCRIPTION, description);
      }
    }

    return new Span(traceId, id, parentId, "", 0, z.name() == null ? "" : z.name(), kind(z.kind()),
        start, end, code, message, attributes.build(), droppedAttributes, events(z.annotations()),
        droppedEvents, List.of(), droppedLinks, resource(z.localEndpoint()),
        scope(scopeName, scopeVersion));
  }

  private static SpanKind kind(zipkin2.Span.Kind kind) {
    if (kind == null) {
      return SpanKind.INTERNAL;
    }
    return switch (kind) {
      case CLIENT -> SpanKind.CLIENT;
      case SERVER -> SpanKind.SERVER;
      case PRODUCER -> SpanKind.PRODUCER;
      case CONSUMER -> SpanKind.CONSUMER;
    };
  }

  /** A dropped count from a tag; unparseable values stay as attributes. */
  private static int count(Attributes.Builder attributes, String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      attributes.put(key, value);
      return 0;
    }
  }

  private static void remoteEndpoint(Endpoint remote, Attributes.Builder attributes) {
    if (remote == null) {
      return;
    }
    attributes.put(PEER_SERVICE, remote.serviceName());
    String ipv4 = remote.ipv4();
    String ipv6 = remote.ipv6();
    if (ipv4 != null) {
      attributes.put(NET_PEER_IP, ipv4);
      attributes.put(NET_SOCK_PEER_ADDR, ipv6);
    } else {
      attributes.put(NET_PEER_IP, ipv6);
    }
    if (remote.portAsInt() != 0) {
      attributes.put(NET_PEER_PORT, (long) remote.portAsInt());
    }
  }

  private static List<SpanEvent> events(List<Annotation> annotations) {
    if (annotations.isEmpty()) {
      return List.of();
    }
    SpanEvent[] events = new SpanEvent[annotations.size()];
    for (int i = 0; i < events.length; i++) {
      Annotation a = annotations.get(i);
      events[i] = new SpanEvent(nanos(a.timestamp(), "annotations[" + i + "].timestamp"),
          a.value(), Attributes.EMPTY, 0);
    }
    return List.of(events);
  }

  private Resource resource(Endpoint local) {
    if (local == null) {
      return Resource.EMPTY;
    }
    if (!local.equals(lastEndpoint)) {
      lastResource = resources.computeIfAbsent(local, ZipkinSpanMapper::newResource);
      lastEndpoint = local;
    }
    return lastResource;
  }

  private static Resource newResource(Endpoint local) {
    Attributes.Builder b = Attributes.builder(3);
    b.put(Resource.SERVICE_NAME, local.serviceName());
    if (local.ipv4() != null || local.ipv6() != null) {
      List<AttributeValue> ips = local.ipv4() == null
          ? List.of(AttributeValue.of(local.ipv6()))
          : local.ipv6() == null
              ? List.of(AttributeValue.of(local.ipv4()))
              : List.of(AttributeValue.of(local.ipv4()), AttributeValue.of(local.ipv6()));
      b.put(HOST_IP, new AttributeValue.ArrayValue(ips));
    }
    if (local.portAsInt() != 0) {
      b.put(NET_HOST_PORT, (long) local.portAsInt());
    }
    return new Resource(b.build(), 0);
  }

  private InstrumentationScope scope(String name, String version) {
    if (name == null && version == null) {
      return InstrumentationScope.EMPTY;
    }
    String key = (name == null ? "" : name) + '\0' + (version == null ? "" : version);
    return scopes.computeIfAbsent(key, k -> new InstrumentationScope(name, version, null, 0));
  }
}
