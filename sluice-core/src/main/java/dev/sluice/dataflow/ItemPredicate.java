package dev.sluice.dataflow;

/**
 * Decides whether an item goes on: the predicate of {@link Dataflow.Builder#filter}.
 *
 * <p>Called by one worker thread at a time; a predicate shared by several workers must be
 * thread-safe. Any exception ends the run and is rethrown to the caller as itself.
 *
 * @param <T> the item type it takes
 */
@FunctionalInterface
public interface ItemPredicate<T> {
  /** Returns true to keep {@code item}, false to drop it. */
  boolean test(T item) throws Exception;
}
