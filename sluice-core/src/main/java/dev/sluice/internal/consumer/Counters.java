package dev.sluice.internal.consumer;

import dev.sluice.JobMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What a job has done so far, counted by its workers; read as {@link JobMetrics}. */
final class Counters {
  private final LongAdder windowsDone = new LongAdder();
  private final LongAdder windowsFailed = new LongAdder();
  private final LongAdder windowsDead = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder recordsDead = new LongAdder();
  private final LongAdder leasesLost = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();

  /** A window finished: {@code processed} records handled, {@code dead} dead-lettered. */
  void finished(int processed, int dead, boolean deadWindow) {
    records.add(processed);
    recordsDead.add(dead);
    if (deadWindow) {
      windowsDead.increment();
    } else {
      windowsDone.increment();
    }
  }

  void failedAttempt() {
    windowsFailed.increment();
  }

  void leaseLost() {
    leasesLost.increment();
  }

  void startWindow() {
    inFlight.incrementAndGet();
  }

  /** How many windows are being handled now. */
  int inFlight() {
    return inFlight.get();
  }

  void endWindow() {
    inFlight.decrementAndGet();
  }

  JobMetrics snapshot() {
    return new JobMetrics(
        windowsDone.sum(),
        windowsFailed.sum(),
        windowsDead.sum(),
        records.sum(),
        recordsDead.sum(),
        leasesLost.sum(),
        inFlight.get());
  }
}
