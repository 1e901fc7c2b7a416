package io.strand.query.traceql;

/** Comparison operators of field expressions and scalar filters. */
public enum CompareOp {
  EQ("="),
  NE("!="),
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  /** Regular expression match, anchored at both ends as in Tempo. */
  RE("=~"),
  /** Negated regular expression match. */
  NRE("!~");

  private final String symbol;

  CompareOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean isOrdering() {
    return this == GT || this == GE || this == LT || this == LE;
  }

  public boolean isRegex() {
    return this == RE || this == NRE;
  }

  /** The operator with its operands swapped ({@code a < b} is {@code b > a}); regexes stay. */
  public CompareOp flip() {
    return switch (this) {
      case GT -> LT;
      case GE -> LE;
      case LT -> GT;
      case LE -> GE;
      default -> this;
    };
  }

  /** Whether a three-way comparison result satisfies this (non-regex) operator. */
  boolean test(int cmp) {
    return switch (this) {
      case EQ -> cmp == 0;
      case NE -> cmp != 0;
      case GT -> cmp > 0;
      case GE -> cmp >= 0;
      case LT -> cmp < 0;
      case LE -> cmp <= 0;
      default -> throw new IllegalStateException(this + " is not a three-way comparison");
    };
  }
}
