package dev.sluice.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told, for testing time windows, leases and retention without
 * sleeping. Pass it as the store's clock: {@code StoreOptions.defaults().clock(clock)}.
 *
 * <p>Thread-safe: reads and moves are atomic. It may be set backwards, to test that timestamps
 * never decrease regardless.
 */
public final class ManualClock extends Clock {
  private volatile Instant now;

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward (or back, for a negative duration) and returns the new time. */
  public synchronized Instant advance(Duration by) {
    now = now.plus(Objects.requireNonNull(by, "by"));
    return now;
  }

  /** Sets the clock to an instant. */
  public void set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("ManualClock is always UTC");
  }

  @Override
  public String toString() {
    return "ManualClock[" + now + "]";
  }
}
