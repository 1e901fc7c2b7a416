package io.strand.codec.otlp;

import io.strand.codec.CodecException;

/** The nesting limit for OTLP {@code AnyValue}s, shared by the protobuf and JSON decoders. */
final class AnyValueDepth {

  /** The deepest nesting accepted: an attribute's own value is level 1. */
  static final int MAX = 32;

  private AnyValueDepth() {}

  /** Throws when a value at {@code depth} is nested too deeply. */
  static void check(int depth) {
    if (depth > MAX) {
      throw new CodecException(
          "attribute value nested deeper than the limit of " + MAX + " levels");
    }
  }
}
