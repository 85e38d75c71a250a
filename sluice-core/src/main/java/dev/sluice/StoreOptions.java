package dev.sluice;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.sluice.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a store is opened. Immutable; start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * Store store = Sluice.open("sqlite:./data", StoreOptions.defaults().sync(SyncMode.FULL));
 * }</pre>
 *
 * @param clock the store's one source of time: record timestamps, window boundaries, leases
 * @param sync how durable an append is when it returns
 * @param maxPendingAppends how many {@code appendAsync} calls may be unfinished at once, per store;
 *     past that {@code appendAsync} blocks
 * @param appendTimeout how long a blocked {@code appendAsync} waits for room before it fails
 * @param scheduler the time base of background work (retention, group expiry), waits and leases;
 *     {@link Scheduler#system()} unless the clock is itself a scheduler, as the testkit's {@code
 *     ManualClock} is
 */
@CheckReturnValue
public record StoreOptions(
    Clock clock,
    SyncMode sync,
    int maxPendingAppends,
    Duration appendTimeout,
    Scheduler scheduler) {

  private static final StoreOptions DEFAULTS =
      new StoreOptions(
          Clock.systemUTC(), SyncMode.NORMAL, 65_536, Duration.ofSeconds(30), Scheduler.system());

  /** Checks every field. */
  public StoreOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(appendTimeout, "appendTimeout");
    if (maxPendingAppends < 1) {
      throw new IllegalArgumentException(
          "maxPendingAppends must be at least 1: " + maxPendingAppends);
    }
    if (appendTimeout.isNegative()) {
      throw new IllegalArgumentException("appendTimeout must not be negative: " + appendTimeout);
    }
  }

  /** System UTC clock, {@link SyncMode#NORMAL}, 65,536 pending appends, 30 s append timeout. */
  public static StoreOptions defaults() {
    return DEFAULTS;
  }

  /** Options with the {@link Scheduler} the clock implies (see {@link #clock(Clock)}). */
  public StoreOptions(Clock clock, SyncMode sync, int maxPendingAppends, Duration appendTimeout) {
    this(clock, sync, maxPendingAppends, appendTimeout, schedulerOf(clock));
  }

  private static Scheduler schedulerOf(Clock clock) {
    return clock instanceof Scheduler s ? s : Scheduler.system();
  }

  /**
   * These options with another clock (tests pass a {@code ManualClock}). A clock that is also a
   * {@link Scheduler}, as {@code ManualClock} is, becomes the scheduler too; any other clock runs
   * with {@link Scheduler#system()}.
   */
  public StoreOptions clock(Clock clock) {
    return new StoreOptions(clock, sync, maxPendingAppends, appendTimeout, schedulerOf(clock));
  }

  /** These options with another scheduler (after {@link #clock(Clock)}, which sets one). */
  public StoreOptions scheduler(Scheduler scheduler) {
    return new StoreOptions(clock, sync, maxPendingAppends, appendTimeout, scheduler);
  }

  /** These options with another sync mode. */
  public StoreOptions sync(SyncMode sync) {
    return new StoreOptions(clock, sync, maxPendingAppends, appendTimeout, scheduler);
  }

  /** These options with another bound on unfinished {@code appendAsync} calls. */
  public StoreOptions maxPendingAppends(int maxPendingAppends) {
    return new StoreOptions(clock, sync, maxPendingAppends, appendTimeout, scheduler);
  }

  /** These options with another wait for room before {@code appendAsync} fails. */
  public StoreOptions appendTimeout(Duration appendTimeout) {
    return new StoreOptions(clock, sync, maxPendingAppends, appendTimeout, scheduler);
  }
}
