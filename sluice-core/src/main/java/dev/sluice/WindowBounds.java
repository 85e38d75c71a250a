package dev.sluice;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link WindowEmitter} decides: the extent of the next window.
 *
 * <p>Two kinds. An <b>offset</b> window ({@link #ofOffsets}) is a fixed range of offsets. A
 * <b>time</b> window ({@link #ofTime}) is every record from the group's cursor on whose timestamp
 * is before {@code end}; the store resolves that range inside the transaction that claims the
 * window and, in the same transaction, raises the stream's timestamp floor to {@code end}, so no
 * later append can be stamped inside a closed window. A time window may be empty. After it, the
 * group's cursor moves to the first record stamped at or after {@code resumeAt}: {@code end} for
 * tumbling windows, earlier for sliding ones.
 *
 * @param kind offset or time
 * @param firstOffset the first offset (offset windows), else -1
 * @param lastOffset the last offset (offset windows), else -1
 * @param start the window's start
 * @param end the window's end (exclusive for time windows)
 * @param resumeAt where the next window's records begin (time windows), else {@code null}
 */
public record WindowBounds(
    Kind kind, long firstOffset, long lastOffset, Instant start, Instant end, Instant resumeAt) {

  /** The kinds of window extent. */
  public enum Kind {
    /** A fixed offset range. */
    OFFSETS,
    /** The records before a time, resolved at claim. */
    TIME
  }

  /** Checks the fields. */
  public WindowBounds {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("window end " + end + " is before its start " + start);
    }
    if (kind == Kind.OFFSETS && (firstOffset < 0 || lastOffset < firstOffset)) {
      throw new IllegalArgumentException(
          "window offsets must satisfy 0 <= first <= last: " + firstOffset + ".." + lastOffset);
    }
    if (kind == Kind.TIME) {
      Objects.requireNonNull(resumeAt, "resumeAt");
      if (resumeAt.isAfter(end) || resumeAt.isBefore(start)) {
        throw new IllegalArgumentException(
            "resumeAt " + resumeAt + " must lie in [" + start + ", " + end + "]");
      }
    }
  }

  /** A window of the offsets {@code first..last} (inclusive). */
  public static WindowBounds ofOffsets(long first, long last, Instant start, Instant end) {
    return new WindowBounds(Kind.OFFSETS, first, last, start, end, null);
  }

  /** A tumbling time window {@code [start, end)}. */
  public static WindowBounds ofTime(Instant start, Instant end) {
    return new WindowBounds(Kind.TIME, -1, -1, start, end, end);
  }

  /** A time window {@code [start, end)} after which the next window begins at {@code resumeAt}. */
  public static WindowBounds ofTime(Instant start, Instant end, Instant resumeAt) {
    return new WindowBounds(Kind.TIME, -1, -1, start, end, resumeAt);
  }

  /** Whether this is a time window. */
  public boolean isTime() {
    return kind == Kind.TIME;
  }
}
