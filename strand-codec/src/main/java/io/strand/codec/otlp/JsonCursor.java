package io.strand.codec.otlp;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.strand.codec.CodecException;
import java.io.IOException;
import java.util.Base64;

/**
 * A thin layer over a Jackson {@link JsonParser} reading protobuf-JSON scalars the way the
 * protobuf JSON mapping allows them: 64-bit integers as numbers or strings, enums as numbers or
 * names, doubles as numbers or the strings {@code NaN}/{@code Infinity}/{@code -Infinity}, bytes as
 * (URL-safe or standard) base64, and {@code null} meaning "default".
 *
 * <p>Convention: {@link #nextField()} leaves the parser on the field's value; every reader
 * consumes exactly one value, leaving the parser on its last token.
 */
final class JsonCursor {

  private final JsonParser p;

  JsonCursor(JsonParser p) {
    this.p = p;
  }

  /** Moves to the document's first token, which must start an object. */
  void startDocument() throws IOException {
    if (p.nextToken() == null) {
      throw new CodecException("malformed OTLP JSON: empty body, expected a JSON object");
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error("expected a JSON object, got " + describe(p.currentToken()));
    }
  }

  /** Checks that nothing follows the document's root object. */
  void endDocument() throws IOException {
    if (p.nextToken() != null) {
      throw error("unexpected " + describe(p.currentToken()) + " after the request object");
    }
  }

  /**
   * Moves to the next field of the current object and onto its value.
   *
   * @return {@code false} at the end of the object
   */
  boolean nextField() throws IOException {
    if (p.nextToken() == JsonToken.END_OBJECT) {
      return false;
    }
    p.nextToken();
    return true;
  }

  /** The name of the current field. */
  String name() throws IOException {
    return p.currentName();
  }

  /** Whether the current value is JSON {@code null}. */
  boolean isNull() {
    return p.currentToken() == JsonToken.VALUE_NULL;
  }

  /** Skips the current value, including any nested content. */
  void skip() throws IOException {
    p.skipChildren();
  }

  /**
   * Checks that the current value starts an object.
   *
   * @return {@code false} for {@code null}, which stands for an absent message
   */
  boolean startObject(String field) {
    return start(JsonToken.START_OBJECT, field);
  }

  /**
   * Checks that the current value starts an array.
   *
   * @return {@code false} for {@code null}, which stands for an empty list
   */
  boolean startArray(String field) {
    return start(JsonToken.START_ARRAY, field);
  }

  /** Whether the current value is {@code opening} rather than {@code null}; else an error. */
  private boolean start(JsonToken opening, String field) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return false;
    }
    if (t != opening) {
      throw error("expected " + describe(opening) + " for " + field + ", got " + describe(t));
    }
    return true;
  }

  /** Moves to the next array element; {@code false} at the end of the array. */
  boolean nextElement() throws IOException {
    return p.nextToken() != JsonToken.END_ARRAY;
  }

  /** Whether the current value is a string, for reading it with {@link #textChars()}. */
  boolean isString() {
    return p.currentToken() == JsonToken.VALUE_STRING;
  }

  /**
   * The current string's characters; valid from {@link #textOffset()} for {@link #textLength()}.
   */
  char[] textChars() throws IOException {
    return p.getTextCharacters();
  }

  int textOffset() throws IOException {
    return p.getTextOffset();
  }

  int textLength() throws IOException {
    return p.getTextLength();
  }

  /** A string value; {@code null} reads as empty. */
  String string(String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    throw error("expected a string for " + field + ", got " + describe(t));
  }

  /** A signed 64-bit integer ({@code int64}), as a number or a decimal string. */
  long int64(String field) throws IOException {
    return integer(field, false);
  }

  /** An unsigned 64-bit integer ({@code fixed64}); values above 2^63-1 wrap to negative longs. */
  long uint64(String field) throws IOException {
    return integer(field, true);
  }

  /** An unsigned 32-bit integer ({@code uint32}, {@code fixed32}) as Java's int bit pattern. */
  int uint32(String field) throws IOException {
    long v = integer(field, false);
    if (v < 0 || v > 0xffff_ffffL) {
      throw error(field + " must be an unsigned 32-bit integer, got " + v);
    }
    return (int) v;
  }

  private long integer(String field, boolean unsigned) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      long v = p.getLongValue();
      if (unsigned && v < 0) {
        throw error(field + " must not be negative, got " + v);
      }
      return v;
    }
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
      throw error("expected an integer for " + field + ", got " + describe(t));
    }
    String text = p.getText();
    try {
      return unsigned ? Long.parseUnsignedLong(text) : Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error("expected " + (unsigned ? "an unsigned" : "a") + " 64-bit integer for " + field
          + ", got \"" + text + "\"");
    }
  }

  /**
   * A double, as a number, a numeric string, or {@code "NaN"}/{@code "Infinity"}/{@code
   * "-Infinity"}.
   */
  double float64(String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw error("expected a number for " + field + ", got " + describe(t));
    }
    String text = p.getText();
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw error("expected a number for " + field + ", got \"" + text + "\"");
        }
    }
  }

  /** A boolean, as JSON {@code true}/{@code false} or the same words as strings. */
  boolean bool(String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE) {
      return true;
    }
    if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
      return false;
    }
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      if (text.equals("true") || text.equals("false")) {
        return text.equals("true");
      }
    }
    throw error("expected a boolean for " + field + ", got " + describe(t));
  }

  /**
   * An enum value as its number, or its name with or without {@code prefix} (such as {@code
   * "SPAN_KIND_SERVER"} or {@code "SERVER"}); {@code names} lists the names without prefix in
   * number order. Unknown names and out-of-range numbers give -1, which the model's {@code
   * forNumber} maps to the default value.
   */
  int enumNumber(String field, String prefix, Enum<?>[] names) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : -1;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw error("expected an enum number or name for " + field + ", got " + describe(t));
    }
    String text = p.getText();
    String name = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    for (Enum<?> e : names) {
      if (e.name().equals(name)) {
        return e.ordinal();
      }
    }
    return -1;
  }

  /** Bytes in base64, standard or URL-safe alphabet, padding optional. */
  byte[] base64(String field) throws IOException {
    String text = string(field);
    boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
    try {
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw error(field + " is not valid base64: " + e.getMessage());
    }
  }

  /** An exception for a problem at the current token, with its line and column. */
  CodecException error(String message) {
    return new CodecException(malformed(p.currentTokenLocation(), message));
  }

  /** The message for a problem at {@code location}. */
  static String malformed(JsonLocation location, String message) {
    if (location == null || location.getLineNr() < 0) {
      return "malformed OTLP JSON: " + message;
    }
    return "malformed OTLP JSON at line " + location.getLineNr() + " column "
        + location.getColumnNr() + ": " + message;
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "end of input";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
