package dev.sluice.testkit;

import dev.sluice.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that moves only when told, for testing time windows, leases, retention and group expiry
 * without sleeping. Pass it as the store's clock: {@code StoreOptions.defaults().clock(clock)}.
 *
 * <p>It is the store's {@link Scheduler} too: the store's periodic work (retention, group expiry)
 * runs when the clock is moved past its time, on the thread that moves it, before {@link #advance}
 * returns; leases are judged on this clock; a retry's backoff ends when the clock passes it.
 *
 * <p>Thread-safe: reads and moves are atomic. It may be set backwards, to test that timestamps
 * never decrease regardless; periodic work then waits until the clock is past its time again.
 */
public final class ManualClock extends Clock implements Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(ManualClock.class);
  private static final Duration IDLE_RECHECK = Duration.ofMillis(2);
  private static final long WAIT_SLICE_MILLIS = 10;

  private volatile Instant now;
  private final List<Task> tasks = new CopyOnWriteArrayList<>();
  private final Object moved = new Object();

  /** A clock standing at {@code start}. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  /** A clock standing at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /**
   * Moves the clock forward (or back, for a negative duration), runs the periodic work now due, and
   * returns the new time.
   */
  public Instant advance(Duration by) {
    Objects.requireNonNull(by, "by");
    Instant t;
    synchronized (this) {
      now = now.plus(by);
      t = now;
    }
    moved(t);
    return t;
  }

  /** Sets the clock to an instant and runs the periodic work now due. */
  public void set(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    synchronized (this) {
      now = instant;
    }
    moved(instant);
  }

  private void moved(Instant t) {
    synchronized (moved) {
      moved.notifyAll();
    }
    List<RuntimeException> failures = new ArrayList<>();
    for (Task task : tasks) {
      task.runIfDue(t, failures);
    }
    for (RuntimeException e : failures) {
      LOG.warn("periodic work failed on the manual clock at {}", t, e);
    }
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

  // ---- Scheduler

  /** This clock's time in nanoseconds since the epoch; leases are judged on it. */
  @Override
  public long nanoTime() {
    Instant t = now;
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** 2 ms of real time: a test's clock moves between two looks of an idle consumer. */
  @Override
  public Duration idleRecheck() {
    return IDLE_RECHECK;
  }

  /** Runs {@code task} each time the clock is moved at least {@code period} past its last run. */
  @Override
  public Cancellable every(String name, Duration period, Runnable task) {
    Task t = new Task(name, period, task, now.plus(period));
    tasks.add(t);
    return () -> tasks.remove(t);
  }

  /** Waits, in real time, until this clock is moved to {@code deadline} or {@code stop} holds. */
  @Override
  public boolean awaitUntil(Clock clock, Instant deadline, BooleanSupplier stop)
      throws InterruptedException {
    while (!stop.getAsBoolean()) {
      if (!clock.instant().isBefore(deadline)) {
        return true;
      }
      synchronized (moved) {
        moved.wait(WAIT_SLICE_MILLIS);
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ManualClock[" + now + "]";
  }

  /** A periodic task on this clock. */
  private static final class Task {
    private final String name;
    private final Duration period;
    private final Runnable work;
    private Instant due;

    Task(String name, Duration period, Runnable work, Instant due) {
      this.name = name;
      this.period = period;
      this.work = work;
      this.due = due;
    }

    synchronized void runIfDue(Instant t, List<RuntimeException> failures) {
      if (t.isBefore(due)) {
        return;
      }
      due = t.plus(period);
      try {
        work.run();
      } catch (RuntimeException e) {
        failures.add(new IllegalStateException(name + " failed", e));
      }
    }
  }
}
