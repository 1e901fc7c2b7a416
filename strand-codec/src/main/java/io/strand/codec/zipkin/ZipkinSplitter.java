package io.strand.codec.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.strand.codec.CodecException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the byte ranges of the individual spans in a Zipkin list body, so that spans can be
 * decoded one by one when decoding the whole list failed: valid spans are then kept and only the
 * broken ones rejected. A body whose list structure itself is broken throws {@link
 * CodecException}.
 */
final class ZipkinSplitter {

  /** One list element: a byte range, or why the element is not a span. */
  record Element(int offset, int length, String error) {}

  private static final JsonFactory JSON = new JsonFactory();
  /** Field 1 ({@code ListOfSpans.spans}), length-delimited. */
  private static final int LIST_OF_SPANS_SPANS = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private ZipkinSplitter() {}

  /** The elements of a JSON array of spans. */
  static List<Element> json(byte[] body) {
    List<Element> elements = new ArrayList<>();
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        throw new CodecException(malformed(p.currentTokenLocation(),
            "expected a JSON array of spans, got " + (t == null ? "end of input" : t.asString())));
      }
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        int start = (int) p.currentTokenLocation().getByteOffset();
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          elements.add(new Element(start, 0, "expected a JSON object"));
          continue;
        }
        p.skipChildren();
        int end = (int) p.currentLocation().getByteOffset();
        elements.add(new Element(start, end - start, null));
      }
      if (p.nextToken() != null) {
        throw new CodecException(
            malformed(p.currentTokenLocation(), "unexpected content after the array"));
      }
    } catch (JsonProcessingException e) {
      throw new CodecException(malformed(e.getLocation(), e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new CodecException("malformed Zipkin JSON: " + e.getMessage(), e);
    }
    return elements;
  }

  /** The elements of a proto3 {@code ListOfSpans}, each including its field tag and length. */
  static List<Element> proto3(byte[] body) {
    List<Element> elements = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    try {
      while (!in.isAtEnd()) {
        int start = in.getTotalBytesRead();
        int tag = in.readTag();
        if (tag == LIST_OF_SPANS_SPANS) {
          in.skipRawBytes(in.readRawVarint32());
          elements.add(new Element(start, in.getTotalBytesRead() - start, null));
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) { // InvalidProtocolBufferException for truncated or broken input
      throw new CodecException("malformed Zipkin proto3: " + e.getMessage(), e);
    }
    return elements;
  }

  private static String malformed(JsonLocation at, String message) {
    if (at == null || at.getLineNr() < 0) {
      return "malformed Zipkin JSON: " + message;
    }
    return "malformed Zipkin JSON at line " + at.getLineNr() + " column " + at.getColumnNr() + ": "
        + message;
  }
}
