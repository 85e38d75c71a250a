package dev.sluice.dataflow;

/**
 * Observes items and their epochs without changing them: the function of {@link
 * Dataflow.Builder#inspectEpoch}.
 *
 * <p>Called by one worker thread at a time; an inspector shared by several workers must be
 * thread-safe. Any exception ends the run and is rethrown to the caller as itself.
 *
 * @param <T> the item type it takes
 */
@FunctionalInterface
public interface EpochInspector<T> {
  /** Observes one item and its epoch. */
  void inspect(long epoch, T item) throws Exception;
}
