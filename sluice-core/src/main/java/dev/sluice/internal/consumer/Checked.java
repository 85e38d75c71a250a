package dev.sluice.internal.consumer;

/**
 * Carries an exception of a transaction's work out through the store's own wrapping, so the
 * consumer sees what its handler, sink or check threw.
 */
public final class Checked extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps an exception. */
  public Checked(Exception cause) {
    super(cause.toString(), cause, false, false);
  }

  /** The runtime exception itself, or this carrier for a checked one. */
  public RuntimeException unwrap() {
    return getCause() instanceof RuntimeException re ? re : this;
  }
}
