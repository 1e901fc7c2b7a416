package io.strand.query;

/**
 * A TraceQL query could not be parsed or is not valid. The message names the position and what
 * was wrong, for example {@code at position 17: expected '}' but found 'foo'}.
 */
public class TraceQlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String detail;

  /**
   * @param position 0-based character offset into the query where the problem was found
   * @param detail what was wrong, without the position prefix
   */
  public TraceQlException(int position, String detail) {
    super("at position " + position + ": " + detail);
    this.position = position;
    this.detail = detail;
  }

  /** The 0-based character offset into the query where the problem was found. */
  public int position() {
    return position;
  }

  /** What was wrong, without the position prefix. */
  public String detail() {
    return detail;
  }
}
