package dev.sluice;

/** When a consumer commits a window relative to its sink. */
public enum Delivery {
  /**
   * Commits after the handler and the sink succeed. A crash between the two runs the window again,
   * so a sink may see a result twice. The default.
   */
  AT_LEAST_ONCE,
  /**
   * Writes the sink's output and commits the window in one transaction of the store; needs a {@link
   * dev.sluice.spi.TransactionalSink} of the same store, checked when the job is built. The
   * function itself may still run more than once.
   */
  EXACTLY_ONCE
}
