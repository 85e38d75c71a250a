package dev.sluice.server;

import dev.sluice.SluiceException;

/** A streaming app could not start: its port was taken, or a consumer or source failed to start. */
public class ServerException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming what failed. */
  public ServerException(String message, Throwable cause) {
    super(message, cause);
  }
}
