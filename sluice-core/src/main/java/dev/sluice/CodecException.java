package dev.sluice;

/** A value could not be encoded to bytes, or bytes could not be decoded to a value. */
public class CodecException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and the failure that caused it. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
