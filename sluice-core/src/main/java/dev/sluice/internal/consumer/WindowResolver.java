package dev.sluice.internal.consumer;

import dev.sluice.Record;
import dev.sluice.WindowBounds;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Fixes a window's offset range from its bounds and the records from the group's cursor on. The
 * claim runs this inside its transaction, so the range is decided once; the window emitters'
 * property test runs the same code against a simulated stream.
 */
public final class WindowResolver {
  private WindowResolver() {}

  /**
   * A claimed window's range.
   *
   * @param firstOffset the first offset, or -1 for an empty window
   * @param lastOffset the last offset, or -1 for an empty window
   * @param nextCursor the group's cursor after this window
   */
  public record Resolved(long firstOffset, long lastOffset, long nextCursor) {
    /** Whether the window holds no record. */
    public boolean isEmpty() {
      return firstOffset < 0;
    }
  }

  /**
   * Resolves bounds against the records from {@code cursor} on. {@code firstAtOrAfter} maps a
   * timestamp (millis) to the first offset from the cursor on stamped at or after it, or the end of
   * the stream; timestamps never decrease along offsets, so that is where a time window ends.
   */
  public static Resolved resolve(WindowBounds b, long cursor, LongUnaryOperator firstAtOrAfter) {
    if (!b.isTime()) {
      if (b.firstOffset() != cursor) {
        throw new IllegalStateException(
            "the window emitter returned offsets "
                + b.firstOffset()
                + ".."
                + b.lastOffset()
                + " but a window must start at the group's cursor "
                + cursor);
      }
      return new Resolved(b.firstOffset(), b.lastOffset(), b.lastOffset() + 1);
    }
    long end = firstAtOrAfter.applyAsLong(b.end().toEpochMilli());
    long next =
        b.resumeAt().equals(b.end())
            ? end
            : firstAtOrAfter.applyAsLong(b.resumeAt().toEpochMilli());
    return end > cursor ? new Resolved(cursor, end - 1, next) : new Resolved(-1, -1, next);
  }

  /** As {@link #resolve(WindowBounds, long, LongUnaryOperator)}, over the records themselves. */
  public static Resolved resolve(
      WindowBounds b, long cursor, List<? extends Record<?>> fromCursor) {
    return resolve(
        b,
        cursor,
        ts -> {
          for (Record<?> r : fromCursor) {
            if (r.timestamp().toEpochMilli() >= ts) {
              return r.offset();
            }
          }
          return cursor + fromCursor.size();
        });
  }
}
