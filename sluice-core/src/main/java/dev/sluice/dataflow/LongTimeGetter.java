package dev.sluice.dataflow;

/**
 * Reads the time of an item as a number — epoch milliseconds, seconds, a sequence number, in any
 * unit — for the {@link Inputs} helpers that take numeric times; their lengths are in the same
 * unit.
 *
 * <p>Called on the thread that iterates the input. Any exception is thrown from the iteration.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface LongTimeGetter<T> {
  /** Returns the time of {@code item}. */
  long timeOf(T item) throws Exception;
}
