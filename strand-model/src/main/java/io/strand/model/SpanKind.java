package io.strand.model;

/** The role of a span, numbered as in OTLP's {@code Span.SpanKind}. */
public enum SpanKind {
  UNSPECIFIED,
  INTERNAL,
  SERVER,
  CLIENT,
  PRODUCER,
  CONSUMER;

  private static final SpanKind[] BY_NUMBER = values();

  /** The OTLP enum number. */
  public int number() {
    return ordinal();
  }

  /** The kind for an OTLP enum number; unknown numbers map to {@link #UNSPECIFIED}. */
  public static SpanKind forNumber(int n) {
    return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[n] : UNSPECIFIED;
  }
}
