package dev.sluice.pipeline;

import java.time.Duration;

/**
 * A snapshot of one step's counters in a run.
 *
 * <p>Items that an earlier {@link Step#stopWith(Object)} ended pass a step without being counted.
 *
 * @param name the step's name ({@code union/branch/step} inside a union)
 * @param workers how many threads run the step
 * @param itemsIn items the step processed
 * @param itemsOut outputs it gave (an item ended by {@link Step#stopWith(Object)} counts as one)
 * @param itemsFiltered items a {@link FilterStep} dropped
 * @param itemsStopped items ended by {@link Step#stop()}
 * @param queuedBatches batches waiting in the step's input queue; for a chain of steps sharing a
 *     thread (see {@link PipelineBuilder#chaining(boolean)}) the queue is the first step's, and the
 *     other steps of the chain, which have no queue of their own, report 0
 * @param queuedItems items in those batches
 * @param busyTime time its workers spent processing, summed over workers; inside a chain, the time
 *     the chain's thread spent in this step
 */
public record StepMetrics(
    String name,
    int workers,
    long itemsIn,
    long itemsOut,
    long itemsFiltered,
    long itemsStopped,
    int queuedBatches,
    long queuedItems,
    Duration busyTime) {}
