package dev.sluice.dataflow;

import java.time.Instant;

/**
 * Reads the time of an item, for the {@link Inputs} helpers that assign epochs or sort by time.
 *
 * <p>Called on the thread that iterates the input. Any exception is thrown from the iteration.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface TimeGetter<T> {
  /** Returns the time of {@code item}; must not be null. */
  Instant timeOf(T item) throws Exception;
}
