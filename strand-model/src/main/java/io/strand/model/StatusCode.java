package io.strand.model;

/** Span status, numbered as in OTLP's {@code Status.StatusCode}. */
public enum StatusCode {
  UNSET,
  OK,
  ERROR;

  private static final StatusCode[] BY_NUMBER = values();

  /** The OTLP enum number. */
  public int number() {
    return ordinal();
  }

  /** The code for an OTLP enum number; unknown numbers map to {@link #UNSET}. */
  public static StatusCode forNumber(int n) {
    return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[n] : UNSET;
  }
}
