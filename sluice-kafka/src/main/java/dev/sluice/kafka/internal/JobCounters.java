package dev.sluice.kafka.internal;

import dev.sluice.JobMetrics;
import java.util.concurrent.atomic.AtomicLong;

/** A job's counters, shared by its workers. */
final class JobCounters {
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong recordsDead = new AtomicLong();
  private final AtomicLong leasesLost = new AtomicLong();

  void windowDone(int size) {
    done.incrementAndGet();
    records.addAndGet(size);
  }

  void windowFailed() {
    failed.incrementAndGet();
  }

  void windowDeadLettered(int dead, int processed) {
    if (dead > 0) {
      deadLettered.incrementAndGet();
    } else {
      done.incrementAndGet();
    }
    recordsDead.addAndGet(dead);
    records.addAndGet(processed);
  }

  void recordDeadLettered(int n) {
    recordsDead.addAndGet(n);
  }

  void leaseLost() {
    leasesLost.incrementAndGet();
  }

  JobMetrics snapshot(int inFlight) {
    return new JobMetrics(
        done.get(),
        failed.get(),
        deadLettered.get(),
        records.get(),
        recordsDead.get(),
        leasesLost.get(),
        inFlight);
  }
}
