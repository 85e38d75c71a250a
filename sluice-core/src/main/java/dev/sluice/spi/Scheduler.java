package dev.sluice.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The time base of a store's background work and waits, injected with its clock ({@link
 * dev.sluice.StoreOptions#scheduler()}): when retention and group expiry run, how long an idle
 * consumer waits before it looks at the clock again, how a retry's backoff is waited out, and the
 * monotonic reading leases are judged on.
 *
 * <p>{@link #system()} runs in real time. The testkit's {@code ManualClock} is a scheduler too: its
 * periodic tasks run when the clock is advanced past their time, on the advancing thread, so a test
 * sees retention, expiry and lease takeovers happen without sleeping.
 *
 * <p>Implementations are thread-safe.
 */
public interface Scheduler {
  /** The real-time scheduler: {@link System#nanoTime()}, daemon threads, real sleeps. */
  static Scheduler system() {
    return SystemScheduler.INSTANCE;
  }

  /**
   * A monotonic reading for judging leases: it never goes back, and differences between two
   * readings are elapsed time.
   */
  long nanoTime();

  /**
   * How long an idle consumer waits for a wake-up before it looks at the clock again (time windows
   * close by the clock, not by an append). 50 ms in real time.
   */
  Duration idleRecheck();

  /**
   * How long, in real time, an idle consumer waits for a wake-up when the next thing that time
   * alone can make ready (a time window's end, a retry's backoff) is due at {@code deadline} of
   * {@code clock}; empty to wait for a wake-up only. With an empty {@code deadline} nothing but a
   * change of the store can make progress.
   *
   * <p>{@link #system()} waits until the deadline (at most a minute at a time, in case the clock is
   * set) and, with no deadline, for a wake-up only: an idle consumer then costs no CPU. The default
   * waits {@link #idleRecheck()} whatever the deadline, as a clock that a test moves by hand must
   * be looked at again.
   */
  default Optional<Duration> idleWait(Clock clock, Optional<Instant> deadline) {
    return Optional.of(idleRecheck());
  }

  /**
   * Runs {@code task} every {@code period} of this scheduler's time until the returned handle is
   * cancelled. A task that throws is logged and runs again at its next time. Runs that fall behind
   * are not made up: a task runs at most once per call to the clock.
   *
   * @param name a name for threads and messages, such as {@code maintenance sqlite:/data}
   */
  Cancellable every(String name, Duration period, Runnable task);

  /**
   * Waits until {@code clock} reaches {@code deadline}; returns false early, without waiting out
   * the deadline, once {@code stop} is true.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitUntil(Clock clock, Instant deadline, BooleanSupplier stop)
      throws InterruptedException;

  /** A periodic task, from {@link #every}. */
  @FunctionalInterface
  interface Cancellable {
    /** Stops the task; a run in progress finishes. Idempotent. */
    void cancel();
  }
}
