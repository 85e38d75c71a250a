package dev.sluice;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link WindowEmitter} sees when deciding the next window of one group on one partition.
 *
 * <p>Valid only during the call it is passed to.
 *
 * @param <T> the value type
 */
public interface EmitterContext<T> {
  /** The first offset not yet in a claimed window. */
  long cursor();

  /** How many records there are from the cursor on. */
  long available();

  /**
   * Up to {@code max} records from the cursor on, in offset order; empty for {@code max} 0. A
   * record whose value cannot be decoded has a {@code null} value here; the consumer dead-letters
   * it.
   *
   * @throws IllegalArgumentException if {@code max} is negative
   */
  List<Record<T>> peek(int max);

  /** The store clock's time. */
  Instant now();

  /** The last window claimed in this group and partition, or empty before the first. */
  Optional<WindowBounds> last();

  /** Whether the group wants empty time windows. */
  boolean emitEmpty();

  /** How many empty time windows to emit at most when catching up after downtime. */
  int maxEmptyCatchUp();
}
