package dev.sluice.dataflow;

import dev.sluice.SluiceException;

/**
 * The head of a worker's first stage: takes the worker's own input and turns each rise of the input
 * epoch into a frontier advance.
 *
 * <p>Rejects input whose epochs decrease, and the epoch {@link Long#MAX_VALUE}, which stands for
 * the end of input. Confined to one worker thread.
 */
final class InputStage extends Emitter {
  private final int worker;
  private final Engine.Control control;
  private long frontier = Long.MIN_VALUE;
  private boolean started;

  /**
   * @param control the run's control, whose abort flag is checked at every item so that a worker
   *     stops within an item of a failure elsewhere; {@code null} for a run on the caller's thread
   */
  InputStage(int worker, Engine.Control control) {
    this.worker = worker;
    this.control = control;
  }

  void accept(long epoch, Object item) throws Exception {
    if (control != null) {
      control.checkAbort();
    }
    if (epoch != frontier || !started) {
      if (epoch < frontier) {
        throw new SluiceException(
            "input epochs must not decrease per worker: worker "
                + worker
                + " read epoch "
                + epoch
                + " after epoch "
                + frontier);
      }
      if (epoch == Long.MAX_VALUE) {
        throw new SluiceException(
            "input epoch must be below Long.MAX_VALUE, which marks the end of input: worker "
                + worker
                + " read epoch "
                + epoch);
      }
      started = true;
      frontier = epoch;
      next.advance(epoch);
    }
    next.push(epoch, item);
  }

  void accept(Epoched<?> pair) throws Exception {
    if (pair == null) {
      throw new SluiceException(
          "input must consist of (epoch, item) pairs; worker " + worker + " read null");
    }
    accept(pair.epoch(), pair.item());
  }

  /** Ends the input: every epoch is complete. */
  void finish() throws Exception {
    frontier = Long.MAX_VALUE;
    next.advance(Long.MAX_VALUE);
  }
}
