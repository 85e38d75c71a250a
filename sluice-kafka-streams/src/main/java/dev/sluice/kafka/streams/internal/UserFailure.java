package dev.sluice.kafka.streams.internal;

/** Carries an exception thrown by a user's function out of Kafka Streams to the caller. */
public final class UserFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserFailure(String where, Throwable cause) {
    super(where + " failed: " + cause, cause);
  }

  /** Finds the user's exception, or Sluice's own, in a Kafka Streams failure; else null. */
  public static Throwable find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UserFailure) {
        return t.getCause();
      }
      if (t instanceof dev.sluice.SluiceException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
