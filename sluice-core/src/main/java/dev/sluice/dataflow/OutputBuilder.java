package dev.sluice.dataflow;

import dev.sluice.spi.Sink;

/**
 * Builds one worker's output for {@link Execution#spawnCluster} and {@link Execution#clusterMain}.
 *
 * <p>Called once per worker, on that worker's thread, with the worker's index and the number of
 * workers. Every {@code capture} step of that worker writes its {@code (epoch, item)} pairs to the
 * returned sink, on that worker's thread only; the sink is closed when the worker ends, also after
 * a failure. A lambda is enough for a sink: {@code (i, n) -> pair -> System.out.println(pair)}. Any
 * exception ends the run and is rethrown to the caller as itself.
 *
 * @param <O> the item type of the output
 */
@FunctionalInterface
public interface OutputBuilder<O> {
  /** Returns the sink that receives this worker's captured pairs. */
  Sink<Epoched<O>> build(int workerIndex, int workerCount) throws Exception;
}
