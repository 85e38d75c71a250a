package dev.sluice.pipeline;

/** Where a stage hands its batches: a queue, a union's branches, or a union's join. */
interface Outlet {
  /**
   * Hands over a batch, blocking while the receiver is full.
   *
   * @throws RunCancelled if the run was cancelled
   */
  void put(Batch batch) throws InterruptedException;
}
