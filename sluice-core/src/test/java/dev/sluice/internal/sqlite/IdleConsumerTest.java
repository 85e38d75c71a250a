package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreContractTest.Tick;
import dev.sluice.StreamingJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A waiting consumer does not poll: its worker and the store's background threads park with no time
 * limit (Thread.State.WAITING, not TIMED_WAITING) until a commit signals them.
 */
class IdleConsumerTest {
  @TempDir Path dir;

  @Test
  void anIdleConsumerAndItsStoreParkUntilAnAppendWakesThem() throws Exception {
    Path storeDir = dir.resolve("idle");
    try (Store store = Sluice.open("sqlite:" + storeDir)) {
      store.stream("t").append(Map.of("n", 0));
      BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
      try (StreamingJob job =
          store.streaming("t").group("g").size(1).start(w -> seen.add(w.firstOffset()))) {
        assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(0L);

        awaitParked("sluice-t-g-w0");
        awaitParked("sluice-sqlite-poller-idle");
        awaitParked("sluice-sqlite-checkpointer-idle");

        store.stream("t").append(Map.of("n", 1));
        assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(1L);
        awaitParked("sluice-t-g-w0");
        assertThat(job.isRunning()).isTrue();
      }
    }
  }

  @Test
  void anAppendOfAnotherProcessWakesAParkedConsumer() throws Exception {
    Path storeDir = dir.resolve("shared");
    Path log = dir.resolve("producer.log");
    try (Store store = Sluice.open("sqlite:" + storeDir)) {
      store.stream("ticks", Tick.class).append(new Tick(0, 0));
      BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
      try (StreamingJob job =
          store
              .streaming("ticks", Tick.class)
              .group("g")
              .size(1)
              .start(w -> seen.add(w.firstOffset()))) {
        assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo(0L);
        awaitParked("sluice-ticks-g-w0");

        Process producer =
            ChildJvm.start(ProducerMain.class, log, "sqlite:" + storeDir, "ticks", "1", "1");
        assertThat(producer.waitFor(120, TimeUnit.SECONDS)).as("the producer ended").isTrue();
        assertThat(producer.exitValue()).as(java.nio.file.Files.readString(log)).isZero();

        assertThat(seen.poll(60, TimeUnit.SECONDS))
            .as("woken by the other process's commit, not by a tick")
            .isEqualTo(1L);
        assertThat(job.isRunning()).isTrue();
      }
    }
  }

  /** Waits until the thread named {@code name} parks with no time limit. */
  private static void awaitParked(String name) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Thread.State state = null;
    while (System.nanoTime() < until) {
      Thread t = thread(name);
      state = t == null ? null : t.getState();
      if (state == Thread.State.WAITING) {
        // Parked for good unless something wakes it: look again a while later to be sure it
        // is not a loop passing through an untimed wait.
        Thread.sleep(200);
        if (t.getState() == Thread.State.WAITING) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(name + " does not park with no time limit; it is " + state);
  }

  private static Thread thread(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
