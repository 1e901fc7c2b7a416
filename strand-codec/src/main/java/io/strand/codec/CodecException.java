package io.strand.codec;

/**
 * Thrown when a request body cannot be decoded at all (malformed protobuf or JSON, or a value
 * nested beyond the supported depth). Problems confined to single spans are reported through
 * {@link DecodedBatch#rejectedSpans()} instead.
 */
public class CodecException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message naming the problem. */
  public CodecException(String message) {
    super(message);
  }

  /** Creates an exception with a message naming the problem and the underlying cause. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
