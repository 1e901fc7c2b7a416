package io.strand.demo;

/** Thrown (and recorded on spans) when the card processor refuses a charge. */
final class PaymentDeclinedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PaymentDeclinedException(String message) {
    super(message);
  }
}
