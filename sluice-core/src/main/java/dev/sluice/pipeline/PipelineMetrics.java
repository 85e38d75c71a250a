package dev.sluice.pipeline;

import java.util.List;

/**
 * A snapshot of a run's counters.
 *
 * <p>At the end of a successful run {@code itemsOut == itemsIn + itemsPadded - itemsDropped -
 * filtered - stopped + flat-map growth}, which the run checks; {@link #steps()} gives the per-step
 * parts of that sum.
 *
 * @param itemsIn items taken from the feed
 * @param itemsOut items delivered to the caller or the sink
 * @param itemsDropped items of an incomplete last batch dropped under {@link
 *     Pipeline.LastBatch#DROP}
 * @param steps one entry per step in pipeline order; the steps of a union's branches follow one
 *     another, named {@code union/branch/step}, and those of a nested pipeline {@code name/step}
 * @param itemsPadded padding items added to a short last batch under {@link
 *     Pipeline.LastBatch#PAD}; not part of {@code itemsIn}
 */
public record PipelineMetrics(
    long itemsIn, long itemsOut, long itemsDropped, List<StepMetrics> steps, long itemsPadded) {
  /** Copies {@code steps}. */
  public PipelineMetrics {
    steps = List.copyOf(steps);
  }

  /**
   * Metrics without padding, as before {@link Pipeline.LastBatch#PAD} existed.
   *
   * @param itemsIn items taken from the feed
   * @param itemsOut items delivered
   * @param itemsDropped items of a dropped last batch
   * @param steps one entry per step
   */
  public PipelineMetrics(long itemsIn, long itemsOut, long itemsDropped, List<StepMetrics> steps) {
    this(itemsIn, itemsOut, itemsDropped, steps, 0);
  }
}
