package dev.sluice.dataflow;

/**
 * Turns one item into zero or more: the function of {@link Dataflow.Builder#flatMap}.
 *
 * <p>The returned items are emitted in iteration order, in the epoch of the input item. Called by
 * one worker thread at a time; a flat-mapper shared by several workers must be thread-safe. Any
 * exception ends the run and is rethrown to the caller as itself.
 *
 * @param <T> the item type it takes
 * @param <R> the item type it returns
 */
@FunctionalInterface
public interface FlatMapper<T, R> {
  /** Returns the items that replace {@code item} downstream; an empty iterable drops it. */
  Iterable<? extends R> flatMap(T item) throws Exception;
}
