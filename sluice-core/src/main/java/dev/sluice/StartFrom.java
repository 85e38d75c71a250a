package dev.sluice;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a new consumer group starts reading. Applies only when the group is first registered; a
 * group that exists resumes at its committed offset.
 */
public final class StartFrom {
  /** The first record held. The default. */
  public static final StartFrom EARLIEST = new StartFrom(Kind.EARLIEST, 0, null);

  /** The next record appended after the group registers. */
  public static final StartFrom LATEST = new StartFrom(Kind.LATEST, 0, null);

  /** The kinds of starting point. */
  public enum Kind {
    /** The first record held. */
    EARLIEST,
    /** After the last record. */
    LATEST,
    /** A given offset. */
    OFFSET,
    /** The first record stamped at or after an instant. */
    TIME
  }

  private final Kind kind;
  private final long offset;
  private final Instant time;

  private StartFrom(Kind kind, long offset, Instant time) {
    this.kind = kind;
    this.offset = offset;
    this.time = time;
  }

  /**
   * At an offset (at the first record held, if that is higher).
   *
   * @throws IllegalArgumentException if the offset is negative
   */
  public static StartFrom offset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("start offset must not be negative: " + offset);
    }
    return new StartFrom(Kind.OFFSET, offset, null);
  }

  /** At the first record stamped at or after {@code time}. */
  public static StartFrom time(Instant time) {
    return new StartFrom(Kind.TIME, 0, Objects.requireNonNull(time, "time"));
  }

  /** The kind of starting point. */
  public Kind kind() {
    return kind;
  }

  /** The offset, for {@link Kind#OFFSET}. */
  public long offset() {
    return offset;
  }

  /** The instant, for {@link Kind#TIME}; else {@code null}. */
  public Instant time() {
    return time;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EARLIEST, LATEST -> kind.name();
      case OFFSET -> "offset(" + offset + ")";
      case TIME -> "time(" + time + ")";
    };
  }
}
