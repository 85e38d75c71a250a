package dev.sluice.dataflow;

/**
 * Decides whether a key's aggregator is finished: the {@code isComplete} of {@link
 * Dataflow.Builder#reduce}.
 *
 * <p>Runs after every update of the aggregator, including the first value. When it returns true the
 * {@code KV(key, aggregator)} is emitted and the key's state is forgotten. Called by one worker
 * thread at a time. Any exception ends the run and is rethrown to the caller as itself.
 *
 * @param <V> the aggregator type
 */
@FunctionalInterface
public interface CompletionCheck<V> {
  /** Returns true when {@code aggregator} should be emitted and forgotten. */
  boolean isComplete(V aggregator) throws Exception;
}
