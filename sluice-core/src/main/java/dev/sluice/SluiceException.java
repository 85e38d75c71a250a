package dev.sluice;

/**
 * The root of every exception Sluice throws on its own account.
 *
 * <p>Unchecked. Subtypes name the area that failed ({@link StoreException}, {@link
 * CodecException}); messages name the rule that was broken and show the bad value.
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public SluiceException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public SluiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
