package io.strand.server.api.search;

/**
 * A query parameter that cannot be used; the message names the parameter and says what is wrong,
 * and each API turns it into a 400 in its own error style.
 */
public final class BadParameterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  /**
   * @param parameter the parameter's name as the client spelled it
   * @param message the whole message, naming the parameter
   */
  public BadParameterException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The parameter at fault. */
  public String parameter() {
    return parameter;
  }
}
