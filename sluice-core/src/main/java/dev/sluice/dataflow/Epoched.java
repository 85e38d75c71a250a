package dev.sluice.dataflow;

/**
 * An item with the epoch it belongs to: the {@code (epoch, item)} pair of bytewax, used for input
 * and for captured output.
 *
 * <p>Immutable when its item is. Epochs must not decrease along one worker's input; {@link
 * Long#MAX_VALUE} is reserved for the end of input and rejected as an input epoch.
 *
 * @param epoch the epoch
 * @param item the item
 * @param <T> the item type
 */
public record Epoched<T>(long epoch, T item) {

  /** Creates a pair; a shorthand for the constructor. */
  public static <T> Epoched<T> of(long epoch, T item) {
    return new Epoched<>(epoch, item);
  }
}
