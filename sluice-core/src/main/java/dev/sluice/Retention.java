package dev.sluice;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a stream keeps its records. A property of the stream, stored with it.
 *
 * <p>Create with {@link #forever()}, {@link #untilConsumed()}, {@link #time(Duration)} or {@link
 * #count(long)}. Immutable.
 */
public final class Retention {
  /** The kinds of retention. */
  public enum Kind {
    /** Records are never deleted. */
    FOREVER,
    /** A record is deleted once every registered group has committed past it. */
    UNTIL_CONSUMED,
    /** Records older than a duration are deleted. */
    TIME,
    /** Only the newest records up to a count are kept. */
    COUNT
  }

  private static final Retention FOREVER = new Retention(Kind.FOREVER, null, 0);
  private static final Retention UNTIL_CONSUMED = new Retention(Kind.UNTIL_CONSUMED, null, 0);

  private final Kind kind;
  private final Duration maxAge;
  private final long maxCount;

  private Retention(Kind kind, Duration maxAge, long maxCount) {
    this.kind = kind;
    this.maxAge = maxAge;
    this.maxCount = maxCount;
  }

  /** Keeps every record; the default. */
  public static Retention forever() {
    return FOREVER;
  }

  /** Deletes records once every registered group has committed past them. */
  public static Retention untilConsumed() {
    return UNTIL_CONSUMED;
  }

  /**
   * Deletes records whose timestamp is older than {@code maxAge}.
   *
   * @throws IllegalArgumentException if {@code maxAge} is zero or negative
   */
  public static Retention time(Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isZero() || maxAge.isNegative()) {
      throw new IllegalArgumentException("retention time must be positive: " + maxAge);
    }
    return new Retention(Kind.TIME, maxAge, 0);
  }

  /**
   * Keeps the newest {@code maxCount} records.
   *
   * @throws IllegalArgumentException if {@code maxCount} is less than 1
   */
  public static Retention count(long maxCount) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("retention count must be at least 1: " + maxCount);
    }
    return new Retention(Kind.COUNT, null, maxCount);
  }

  /** The kind of retention. */
  public Kind kind() {
    return kind;
  }

  /** The maximum age for {@link Kind#TIME}, otherwise {@code null}. */
  public Duration maxAge() {
    return maxAge;
  }

  /** The maximum count for {@link Kind#COUNT}, otherwise 0. */
  public long maxCount() {
    return maxCount;
  }

  /** A compact text form, such as {@code time:PT1H}; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return switch (kind) {
      case FOREVER -> "forever";
      case UNTIL_CONSUMED -> "untilConsumed";
      case TIME -> "time:" + maxAge;
      case COUNT -> "count:" + maxCount;
    };
  }

  /**
   * Reads the form {@link #toString} writes.
   *
   * @throws IllegalArgumentException if the text is not such a form
   */
  public static Retention parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      if (text.equals("forever")) {
        return FOREVER;
      } else if (text.equals("untilConsumed")) {
        return UNTIL_CONSUMED;
      } else if (text.startsWith("time:")) {
        return time(Duration.parse(text.substring(5)));
      } else if (text.startsWith("count:")) {
        return count(Long.parseLong(text.substring(6)));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a retention: \"" + text + "\"", e);
    }
    throw new IllegalArgumentException(
        "retention must be forever, untilConsumed, time:<ISO duration> or count:<n>: \""
            + text
            + "\"");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retention r
        && r.kind == kind
        && Objects.equals(r.maxAge, maxAge)
        && r.maxCount == maxCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, maxAge, maxCount);
  }
}
