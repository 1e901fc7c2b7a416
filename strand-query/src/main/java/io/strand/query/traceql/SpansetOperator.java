package io.strand.query.traceql;

/**
 * Operators between spansets. Structural operators return the right-hand side's spans that
 * stand in the relation to some left-hand span; negated ones return those that do not; union
 * ones return both sides' spans that take part in the relation.
 */
public enum SpansetOperator {
  AND("&&", null, Mode.LOGICAL),
  OR("||", null, Mode.LOGICAL),
  CHILD(">", Relation.CHILD, Mode.PLAIN),
  PARENT("<", Relation.PARENT, Mode.PLAIN),
  DESCENDANT(">>", Relation.DESCENDANT, Mode.PLAIN),
  ANCESTOR("<<", Relation.ANCESTOR, Mode.PLAIN),
  SIBLING("~", Relation.SIBLING, Mode.PLAIN),
  NOT_CHILD("!>", Relation.CHILD, Mode.NEGATED),
  NOT_PARENT("!<", Relation.PARENT, Mode.NEGATED),
  NOT_DESCENDANT("!>>", Relation.DESCENDANT, Mode.NEGATED),
  NOT_ANCESTOR("!<<", Relation.ANCESTOR, Mode.NEGATED),
  NOT_SIBLING("!~", Relation.SIBLING, Mode.NEGATED),
  UNION_CHILD("&>", Relation.CHILD, Mode.UNION),
  UNION_PARENT("&<", Relation.PARENT, Mode.UNION),
  UNION_DESCENDANT("&>>", Relation.DESCENDANT, Mode.UNION),
  UNION_ANCESTOR("&<<", Relation.ANCESTOR, Mode.UNION),
  UNION_SIBLING("&~", Relation.SIBLING, Mode.UNION);

  /** How a right-hand span relates to a left-hand span. */
  public enum Relation {
    /** The right span's parent is a left span. */
    CHILD,
    /** The right span is the parent of a left span. */
    PARENT,
    /** A left span is an ancestor of the right span. */
    DESCENDANT,
    /** The right span is an ancestor of a left span. */
    ANCESTOR,
    /** The right span shares its parent with a different left span. */
    SIBLING
  }

  /** Which spans a structural operator returns. */
  public enum Mode {
    LOGICAL,
    PLAIN,
    NEGATED,
    UNION
  }

  private final String symbol;
  private final Relation relation;
  private final Mode mode;

  SpansetOperator(String symbol, Relation relation, Mode mode) {
    this.symbol = symbol;
    this.relation = relation;
    this.mode = mode;
  }

  public String symbol() {
    return symbol;
  }

  /** The structural relation, or null for {@code &&} and {@code ||}. */
  public Relation relation() {
    return relation;
  }

  public Mode mode() {
    return mode;
  }

  /** The operator written as {@code symbol}, or null. */
  static SpansetOperator forSymbol(String symbol) {
    for (SpansetOperator op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    return null;
  }
}
