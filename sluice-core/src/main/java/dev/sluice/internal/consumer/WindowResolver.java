package dev.sluice.internal.consumer;

import dev.sluice.Record;
import dev.sluice.WindowBounds;
import java.util.List;

/**
 * Fixes a window's offset range from its bounds and the records from the group's cursor on. Every
 * store runs this inside the transaction that claims the window, so the range is decided once.
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
   * Resolves bounds against {@code fromCursor}: every record of the partition from {@code cursor}
   * on that exists when the claim commits, in offset order.
   */
  public static Resolved resolve(
      WindowBounds b, long cursor, List<? extends Record<?>> fromCursor) {
    if (!b.isTime()) {
      if (b.firstOffset() != cursor) {
        throw new IllegalStateException(
            "window must start at the cursor " + cursor + ", got " + b.firstOffset());
      }
      return new Resolved(b.firstOffset(), b.lastOffset(), b.lastOffset() + 1);
    }
    long end = b.end().toEpochMilli();
    long resumeAt = b.resumeAt().toEpochMilli();
    long first = -1;
    long last = -1;
    long next = -1;
    for (Record<?> r : fromCursor) {
      long ts = r.timestamp().toEpochMilli();
      if (next < 0 && ts >= resumeAt) {
        next = r.offset();
      }
      if (ts >= end) {
        break;
      }
      if (first < 0) {
        first = r.offset();
      }
      last = r.offset();
    }
    if (next < 0) {
      next = last >= 0 ? last + 1 : cursor;
    }
    return new Resolved(first, last, next);
  }
}
