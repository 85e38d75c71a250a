package dev.sluice.pipeline;

/** Unwinds a run's threads once the run was cancelled; never reaches users. */
final class RunCancelled extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final RunCancelled INSTANCE = new RunCancelled();

  private RunCancelled() {
    super("pipeline run cancelled", null, false, false);
  }
}
