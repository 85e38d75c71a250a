package dev.sluice.dataflow;

/**
 * Turns one item into another: the function of {@link Dataflow.Builder#map}.
 *
 * <p>Called by one worker thread at a time for the items that worker holds; a mapper shared by
 * several workers must be thread-safe. Any exception ends the run and is rethrown to the caller as
 * itself.
 *
 * @param <T> the item type it takes
 * @param <R> the item type it returns
 */
@FunctionalInterface
public interface Mapper<T, R> {
  /** Returns the item that replaces {@code item} downstream. */
  R map(T item) throws Exception;
}
