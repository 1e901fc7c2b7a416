package io.strand.codec.zipkin;

import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.model.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Decodes Zipkin v2 span lists (JSON or proto3) into model spans, inverting the
 * OpenTelemetry-to-Zipkin transformation ({@link ZipkinEncoder} is the exact reverse):
 *
 * <ul>
 *   <li>local endpoint → resource attributes {@code service.name}, {@code host.ip} (string array:
 *       IPv4 then IPv6) and {@code net.host.port}; one shared {@link io.strand.model.Resource} per
 *       distinct local endpoint in the batch
 *   <li>remote endpoint → span attributes {@code peer.service}, {@code net.peer.ip} (the IPv4, or
 *       the IPv6 when alone), {@code net.sock.peer.addr} (the IPv6 when both are present), {@code
 *       net.peer.port}; an explicit {@code peer.service} tag wins
 *   <li>{@code error} tag → status ERROR with the tag value as message (a {@code "false"} value is
 *       dropped); {@code otel.status_code}/{@code otel.status_description} tags → status
 *   <li>{@code otel.scope.*} (or legacy {@code otel.library.*}) tags → the scope, one shared
 *       instance per name and version; {@code otel.dropped_*_count} tags → dropped counts
 *   <li>other tags → string attributes; {@code shared}/{@code debug} flags → {@code
 *       zipkin.shared}/{@code zipkin.debug} = true, only when set
 *   <li>absent kind → INTERNAL; timestamps and durations in micros → nanos; annotations → events
 * </ul>
 *
 * <p>Spans with ids that Zipkin or the model reject are counted as rejected and the others kept,
 * as with OTLP partial success.
 *
 * <p>Stateless and thread-safe.
 */
public final class ZipkinDecoder {

  /** Creates a decoder. */
  public ZipkinDecoder() {}

  /**
   * Decodes a JSON array of Zipkin v2 spans ({@code POST /api/v2/spans} with JSON).
   *
   * @throws CodecException when the body is not a JSON array
   */
  public DecodedBatch decodeJson(byte[] body) {
    return decode(body, SpanBytesDecoder.JSON_V2);
  }

  /**
   * Decodes a proto3 {@code ListOfSpans} ({@code POST /api/v2/spans} with protobuf).
   *
   * @throws CodecException when the body is not a parseable list
   */
  public DecodedBatch decodeProto3(byte[] body) {
    return decode(body, SpanBytesDecoder.PROTO3);
  }

  /** Maps spans that are already decoded, for example by a Zipkin collector library. */
  public DecodedBatch fromZipkin(List<zipkin2.Span> spans) {
    ZipkinSpanMapper mapper = new ZipkinSpanMapper();
    Result result = new Result(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      result.map(mapper, spans.get(i), i);
    }
    return result.batch();
  }

  private DecodedBatch decode(byte[] body, SpanBytesDecoder decoder) {
    List<zipkin2.Span> spans;
    try {
      spans = decoder.decodeList(body);
    } catch (IllegalArgumentException e) {
      return decodeOneByOne(body, decoder); // find out which spans are broken
    }
    return fromZipkin(spans);
  }

  private static DecodedBatch decodeOneByOne(byte[] body, SpanBytesDecoder decoder) {
    List<ZipkinSplitter.Element> elements = decoder == SpanBytesDecoder.PROTO3
        ? ZipkinSplitter.proto3(body)
        : ZipkinSplitter.json(body);
    ZipkinSpanMapper mapper = new ZipkinSpanMapper();
    Result result = new Result(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      ZipkinSplitter.Element e = elements.get(i);
      if (e.error() != null) {
        result.reject(i, e.error());
        continue;
      }
      zipkin2.Span span;
      try {
        span = decoder.decodeOne(ByteBuffer.wrap(body, e.offset(), e.length()));
      } catch (IllegalArgumentException ex) {
        result.reject(i, message(ex));
        continue;
      }
      if (span == null) {
        result.reject(i, "not a span");
      } else {
        result.map(mapper, span, i);
      }
    }
    return result.batch();
  }

  /** Zipkin's own reason without its "reading Span from json" suffix or links. */
  private static String message(IllegalArgumentException e) {
    Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
    String m = String.valueOf(cause.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  /** Accepted spans plus rejection count and first message. */
  private static final class Result {
    private final List<Span> spans;
    private int rejected;
    private String firstError;

    Result(int expected) {
      spans = new ArrayList<>(expected);
    }

    void map(ZipkinSpanMapper mapper, zipkin2.Span span, int index) {
      try {
        spans.add(mapper.toModel(span));
      } catch (IllegalArgumentException e) {
        reject(index, e.getMessage());
      }
    }

    void reject(int index, String message) {
      if (rejected++ == 0) {
        firstError = "span " + index + ": " + message;
      }
    }

    DecodedBatch batch() {
      return new DecodedBatch(spans, rejected, firstError);
    }
  }
}
