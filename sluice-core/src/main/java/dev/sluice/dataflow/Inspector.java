package dev.sluice.dataflow;

/**
 * Observes items without changing them: the function of {@link Dataflow.Builder#inspect}.
 *
 * <p>Called by one worker thread at a time; an inspector shared by several workers (the usual case)
 * must be thread-safe. Any exception ends the run and is rethrown to the caller as itself.
 *
 * @param <T> the item type it takes
 */
@FunctionalInterface
public interface Inspector<T> {
  /** Observes one item. */
  void inspect(T item) throws Exception;
}
