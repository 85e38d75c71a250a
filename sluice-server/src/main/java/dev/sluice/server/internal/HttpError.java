package dev.sluice.server.internal;

/** A request refused with a status code and a message for the client; never carries a trace. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
