package io.strand.codec.otlp;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OTLP JSON {@code KeyValue} lists and {@code AnyValue}s into model attributes. Like the
 * protobuf decoder, values with no kind set are skipped.
 */
final class JsonAttributes {

  private JsonAttributes() {}

  /**
   * Reads an array of {@code {"key": ..., "value": {...}}} objects.
   *
   * @param depth nesting level of the values, 1 for span, resource, scope, event or link attributes
   */
  static Attributes read(JsonCursor c, String field, int depth) throws IOException {
    if (!c.startArray(field)) {
      return Attributes.EMPTY;
    }
    Attributes.Builder b = null;
    while (c.nextElement()) {
      if (!c.startObject(field)) {
        continue;
      }
      String key = "";
      AttributeValue value = null;
      while (c.nextField()) {
        switch (c.name()) {
          case "key" -> key = c.string("key");
          case "value" -> value = anyValue(c, depth);
          default -> c.skip();
        }
      }
      if (value != null) {
        if (b == null) {
          b = Attributes.builder();
        }
        b.put(key, value);
      }
    }
    return b == null ? Attributes.EMPTY : b.build();
  }

  /** Reads one {@code AnyValue} object; {@code null} when no kind is set. */
  private static AttributeValue anyValue(JsonCursor c, int depth) throws IOException {
    AnyValueDepth.check(depth);
    if (!c.startObject("value")) {
      return null;
    }
    AttributeValue v = null;
    while (c.nextField()) {
      if (c.isNull()) {
        continue; // a null oneof member is simply not set
      }
      switch (c.name()) {
        case "stringValue", "string_value" -> v = AttributeValue.of(c.string("stringValue"));
        case "boolValue", "bool_value" -> v = AttributeValue.of(c.bool("boolValue"));
        case "intValue", "int_value" -> v = AttributeValue.of(c.int64("intValue"));
        case "doubleValue", "double_value" -> v = AttributeValue.of(c.float64("doubleValue"));
        case "bytesValue", "bytes_value" ->
            v = new AttributeValue.BytesValue(c.base64("bytesValue"));
        case "arrayValue", "array_value" -> v = array(c, depth);
        case "kvlistValue", "kvlist_value" -> v = keyValueList(c, depth);
        default -> c.skip();
      }
    }
    return v;
  }

  private static AttributeValue array(JsonCursor c, int depth) throws IOException {
    List<AttributeValue> values = new ArrayList<>();
    c.startObject("arrayValue");
    while (c.nextField()) {
      if (c.name().equals("values") && c.startArray("arrayValue.values")) {
        while (c.nextElement()) {
          AttributeValue e = anyValue(c, depth + 1);
          if (e != null) {
            values.add(e);
          }
        }
      } else {
        c.skip();
      }
    }
    return new AttributeValue.ArrayValue(values);
  }

  private static AttributeValue keyValueList(JsonCursor c, int depth) throws IOException {
    Attributes values = Attributes.EMPTY;
    c.startObject("kvlistValue");
    while (c.nextField()) {
      if (c.name().equals("values")) {
        values = read(c, "kvlistValue.values", depth + 1);
      } else {
        c.skip();
      }
    }
    return new AttributeValue.KeyValueListValue(values);
  }
}
