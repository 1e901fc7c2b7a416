package io.strand.codec.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import java.io.IOException;

/**
 * Decodes OTLP/JSON trace export requests (the OTLP JSON protobuf encoding) into model spans,
 * streaming with Jackson straight into the model.
 *
 * <p>Accepted, as the OTLP specification and protobuf JSON parsers allow: lowerCamelCase or
 * snake_case field names; trace and span ids as hex strings; enums as numbers or names ({@code
 * 2} or {@code "SPAN_KIND_SERVER"}); 64-bit integers as numbers or strings; bytes as base64;
 * {@code null} for default values. Unknown fields are ignored. Partial-success semantics and
 * resource/scope sharing are as in {@link OtlpProtoDecoder}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OtlpJsonDecoder {

  private static final JsonFactory JSON = new JsonFactory();

  /** Creates a decoder. */
  public OtlpJsonDecoder() {}

  /**
   * Decodes the UTF-8 JSON of an {@code ExportTraceServiceRequest}.
   *
   * @throws CodecException when the body is not well-formed JSON, a field has the wrong JSON type,
   *     or an attribute value is nested too deeply; the message gives the line and column
   */
  public DecodedBatch decode(byte[] json) {
    try (JsonParser parser = JSON.createParser(json)) {
      return new OtlpJsonReader(new JsonCursor(parser)).read();
    } catch (JsonProcessingException e) {
      throw new CodecException(JsonCursor.malformed(e.getLocation(), e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new CodecException("malformed OTLP JSON: " + e.getMessage(), e);
    }
  }
}
