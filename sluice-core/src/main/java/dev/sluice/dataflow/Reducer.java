package dev.sluice.dataflow;

/**
 * Combines a key's aggregator with one more value: the function of the {@code reduce} steps.
 *
 * <p>The first value seen for a key becomes its aggregator without a call. The result must not be
 * null. Called by one worker thread at a time for the keys that worker owns. Any exception ends the
 * run and is rethrown to the caller as itself.
 *
 * @param <V> the value and aggregator type
 */
@FunctionalInterface
public interface Reducer<V> {
  /** Returns the updated aggregator. */
  V reduce(V aggregator, V value) throws Exception;
}
