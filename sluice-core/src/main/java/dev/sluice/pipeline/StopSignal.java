package dev.sluice.pipeline;

/**
 * Thrown by {@link Step#stop()} and {@link Step#stopWith(Object)}; caught by the step's worker.
 * Carries no stack trace, so throwing it costs little more than a return.
 */
final class StopSignal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Object NO_VALUE = new Object();

  static final StopSignal STOP = new StopSignal(NO_VALUE);

  private final transient Object value;

  StopSignal(Object value) {
    super(
        "Step.stop() and Step.stopWith(value) end an item inside a running pipeline step;"
            + " this one was called outside a step, or the step swallowed the signal",
        null,
        false,
        false);
    this.value = value;
  }

  boolean hasValue() {
    return value != NO_VALUE;
  }

  Object value() {
    return value;
  }
}
