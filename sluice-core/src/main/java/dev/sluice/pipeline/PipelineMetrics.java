package dev.sluice.pipeline;

import java.util.List;

/**
 * A snapshot of a run's counters.
 *
 * <p>At the end of a successful run {@code itemsOut == itemsIn - itemsDropped - filtered - stopped
 * + flat-map growth}, which the run checks; {@link #steps()} gives the per-step parts of that sum.
 *
 * @param itemsIn items taken from the feed
 * @param itemsOut items delivered to the caller or the sink
 * @param itemsDropped items of an incomplete last batch dropped under {@link
 *     Pipeline.LastBatch#DROP}
 * @param steps one entry per step in pipeline order; the steps of a union's branches follow one
 *     another, named {@code union/branch/step}
 */
public record PipelineMetrics(
    long itemsIn, long itemsOut, long itemsDropped, List<StepMetrics> steps) {
  /** Copies {@code steps}. */
  public PipelineMetrics {
    steps = List.copyOf(steps);
  }
}
