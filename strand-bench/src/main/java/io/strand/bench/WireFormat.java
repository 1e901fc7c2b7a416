package io.strand.bench;

import io.strand.codec.otlp.OtlpProtoEncoder;
import io.strand.codec.zipkin.ZipkinEncoder;
import io.strand.model.Span;
import java.util.List;

/** How a batch of spans goes on the wire: OTLP/HTTP protobuf or Zipkin v2 JSON. */
public enum WireFormat {
  OTLP_PROTO("application/x-protobuf", "OTLP protobuf"),
  ZIPKIN_JSON("application/json", "Zipkin JSON");

  private static final OtlpProtoEncoder OTLP = new OtlpProtoEncoder();
  private static final ZipkinEncoder ZIPKIN = new ZipkinEncoder();

  private final String contentType;
  private final String label;

  WireFormat(String contentType, String label) {
    this.contentType = contentType;
    this.label = label;
  }

  public String contentType() {
    return contentType;
  }

  public String label() {
    return label;
  }

  /** The request body of {@code spans} in this format (both encoders are thread-safe). */
  public byte[] encode(List<Span> spans) {
    return this == OTLP_PROTO ? OTLP.encode(spans).toByteArray() : ZIPKIN.encodeJson(spans);
  }
}
