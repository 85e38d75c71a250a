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

  /**
   * Says when this call's answer may change by time alone, with nothing appended: an emitter that
   * returns empty because a window is not due yet names the time it is due, and an idle consumer
   * sleeps until then. Of several calls the earliest counts. An emitter that reads {@link #now()}
   * without calling this is asked again every {@link dev.sluice.spi.Scheduler#idleRecheck()}; one
   * that does not read the clock is asked again only when the store changes.
   */
  default void recheckAt(Instant when) {}

  /** The last window claimed in this group and partition, or empty before the first. */
  Optional<WindowBounds> last();

  /** Whether the group wants empty time windows. */
  boolean emitEmpty();

  /** How many empty time windows to emit at most when catching up after downtime. */
  int maxEmptyCatchUp();
}
