package dev.sluice.dataflow;

/**
 * Receives the items that {@link Inputs#sortedWindow} drops because they arrived too late.
 *
 * <p>Called on the thread that iterates the input, in input order. Use it to log or count drops and
 * tune the window length.
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface DropHandler<T> {
  /** Receives one dropped item. */
  void dropped(T item) throws Exception;
}
