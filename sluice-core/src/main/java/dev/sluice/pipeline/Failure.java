package dev.sluice.pipeline;

/**
 * The first failure of a run, kept until the run's threads are gone and then thrown as a {@link
 * PipelineException} from the caller's thread.
 */
record Failure(String message, String step, long seq, Throwable cause, boolean cancellation) {
  static Failure inStep(String step, long seq, Throwable cause) {
    return new Failure(
        "step '" + step + "' failed" + on(seq) + summary(cause), step, seq, cause, false);
  }

  static Failure inFeed(long seq, Throwable cause) {
    return new Failure(
        "the feed failed before batch " + seq + summary(cause), null, seq, cause, false);
  }

  static Failure inDelivery(String what, long seq, Throwable cause) {
    return new Failure(what + " failed" + on(seq) + summary(cause), null, seq, cause, false);
  }

  static Failure ofRun(String message, Throwable cause) {
    return new Failure(message, null, -1, cause, false);
  }

  static Failure cancelled(String message, Throwable cause) {
    return new Failure(message, null, -1, cause, true);
  }

  PipelineException toException() {
    return new PipelineException(message, step, seq, cause);
  }

  private static String on(long seq) {
    return seq < 0 ? "" : " on batch " + seq;
  }

  private static String summary(Throwable cause) {
    if (cause == null) {
      return "";
    }
    try {
      return ": " + cause;
    } catch (RuntimeException e) {
      return ": " + cause.getClass().getName();
    }
  }
}
