package io.strand.server.receiver;

import com.linecorp.armeria.common.HttpStatus;

/** A request a receiver refuses, with the HTTP status and a message naming the problem. */
final class ReceiverException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient HttpStatus status;

  ReceiverException(HttpStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  HttpStatus status() {
    return status;
  }
}
