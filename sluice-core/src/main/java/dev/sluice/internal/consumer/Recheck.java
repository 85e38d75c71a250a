package dev.sluice.internal.consumer;

import dev.sluice.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a worker's last look at its group found that time alone can change: the earliest time a
 * window becomes due (an emitter's {@code recheckAt}, a retry's backoff), or that it must look
 * again soon (an emitter read the clock without saying when, another worker holds a claim whose
 * lease or process may lapse). With neither, only a change of the store can make progress, and the
 * worker waits for a wake-up with no time limit. One per worker thread.
 */
final class Recheck {
  private Instant deadline;
  private boolean soon;

  /** Forgets the last look. */
  void reset() {
    deadline = null;
    soon = false;
  }

  /** Something may become ready at {@code when}. */
  void at(Instant when) {
    if (deadline == null || when.isBefore(deadline)) {
      deadline = when;
    }
  }

  /** Something may change at any time: look again after the scheduler's idle recheck. */
  void soon() {
    soon = true;
  }

  /** How long to wait for a wake-up; empty for no limit. */
  Optional<Duration> wait(Scheduler scheduler, Clock clock) {
    return soon
        ? Optional.of(scheduler.idleRecheck())
        : scheduler.idleWait(clock, Optional.ofNullable(deadline));
  }
}
