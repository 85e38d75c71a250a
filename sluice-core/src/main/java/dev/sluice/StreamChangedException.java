package dev.sluice;

/**
 * The stream a consumer reads was dropped or cleared while it ran. The consumer stops instead of
 * silently starting over on the new stream.
 */
public class StreamChangedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public StreamChangedException(String message) {
    super(message);
  }
}
