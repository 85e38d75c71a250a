package dev.sluice.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Scheduler#system()}: real time, one daemon thread per periodic task. */
final class SystemScheduler implements Scheduler {
  static final SystemScheduler INSTANCE = new SystemScheduler();
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration IDLE_RECHECK = Duration.ofMillis(50);
  private static final long MAX_NAP_MILLIS = 50;
  private static final Duration MAX_IDLE_WAIT = Duration.ofMinutes(1);
  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private SystemScheduler() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Duration idleRecheck() {
    return IDLE_RECHECK;
  }

  @Override
  public Optional<Duration> idleWait(Clock clock, Optional<Instant> deadline) {
    if (deadline.isEmpty()) {
      return Optional.empty();
    }
    Duration left = Duration.between(clock.instant(), deadline.get());
    if (left.isNegative() || left.isZero()) {
      return Optional.of(IDLE_RECHECK); // due but still not ready: look again soon, never spin
    }
    // a millisecond late rather than early: emitters compare whole milliseconds
    return Optional.of(left.compareTo(MAX_IDLE_WAIT) > 0 ? MAX_IDLE_WAIT : left.plus(ONE_MILLI));
  }

  @Override
  public Cancellable every(String name, Duration period, Runnable task) {
    long nanos = period.toNanos();
    Thread t =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  TimeUnit.NANOSECONDS.sleep(nanos);
                  try {
                    task.run();
                  } catch (RuntimeException e) {
                    LOG.warn("{} failed; it runs again in {}", name, period, e);
                  }
                }
              } catch (InterruptedException e) {
                // cancelled
              }
            },
            "sluice-" + name);
    t.setDaemon(true);
    t.start();
    return t::interrupt;
  }

  @Override
  public boolean awaitUntil(Clock clock, Instant deadline, BooleanSupplier stop)
      throws InterruptedException {
    while (!stop.getAsBoolean()) {
      long left = deadline.toEpochMilli() - clock.millis();
      if (left <= 0) {
        return true;
      }
      Thread.sleep(Math.min(left, MAX_NAP_MILLIS));
    }
    return false;
  }

  @Override
  public String toString() {
    return "Scheduler.system()";
  }
}
