package io.strand.query.traceql;

import io.strand.model.SpanKind;
import io.strand.model.StatusCode;

/** The words that are literals: booleans, nil, statuses, kinds and the integer bounds. */
final class Literals {

  private Literals() {}

  /** The literal a word stands for, or null. */
  static Value forWord(String word) {
    return switch (word) {
      case "true" -> Value.Bool.TRUE;
      case "false" -> Value.Bool.FALSE;
      case "nil" -> Value.Nil.NIL;
      case "ok" -> new Value.Status(StatusCode.OK);
      case "error" -> new Value.Status(StatusCode.ERROR);
      case "unset" -> new Value.Status(StatusCode.UNSET);
      case "unspecified" -> new Value.Kind(SpanKind.UNSPECIFIED);
      case "internal" -> new Value.Kind(SpanKind.INTERNAL);
      case "server" -> new Value.Kind(SpanKind.SERVER);
      case "client" -> new Value.Kind(SpanKind.CLIENT);
      case "producer" -> new Value.Kind(SpanKind.PRODUCER);
      case "consumer" -> new Value.Kind(SpanKind.CONSUMER);
      case "minInt" -> new Value.Int(Long.MIN_VALUE);
      case "maxInt" -> new Value.Int(Long.MAX_VALUE);
      default -> null;
    };
  }
}
