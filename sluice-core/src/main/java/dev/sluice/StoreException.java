package dev.sluice;

/**
 * A store could not be opened, read or written: an I/O failure, a file that is not a Sluice store,
 * a store written by a newer format version, or a store that is closed.
 */
public class StoreException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public StoreException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the failure that caused it. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
