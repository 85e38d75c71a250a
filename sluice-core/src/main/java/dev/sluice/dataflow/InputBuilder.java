package dev.sluice.dataflow;

/**
 * Builds one worker's input for {@link Execution#spawnCluster} and {@link Execution#clusterMain}.
 *
 * <p>Called once per worker, on that worker's thread, with the worker's index ({@code 0 <= index <
 * count}) and the number of workers. The returned iterable is iterated once, on the same thread;
 * its epochs must not decrease. If its iterator is {@link AutoCloseable} it is closed when the
 * worker ends. Any exception ends the run and is rethrown to the caller as itself.
 *
 * @param <I> the item type of the input
 */
@FunctionalInterface
public interface InputBuilder<I> {
  /** Returns the {@code (epoch, item)} pairs this worker reads. */
  Iterable<? extends Epoched<? extends I>> build(int workerIndex, int workerCount) throws Exception;
}
