package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumers in other processes, on the embedded store. */
class ConsumerProcessTest {
  @TempDir Path dir;

  @Test
  void aKilledWorkersWindowIsTakenOverAtOnceNotAfterItsLease() throws Exception {
    Path storeDir = dir.resolve("store");
    Path log = dir.resolve("child.log");
    try (Store store = Sluice.open("sqlite:" + storeDir)) {
      store.stream("jobs").append(Map.of("n", 1));
      Process child = ChildJvm.start(HangingConsumerMain.class, log, storeDir.toString(), "jobs");
      try {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("CLAIMED default/0/1 attempt 1")) {
          if (!child.isAlive()) {
            throw new AssertionError("child died: " + Files.readString(log));
          }
          assertThat(System.nanoTime()).as("child never claimed").isLessThan(until);
          Thread.sleep(20);
        }
        var survivor = store.streaming("jobs").lease(Duration.ofMinutes(10));
        List<Integer> attempts = new ArrayList<>();
        assertThat(survivor.once(w -> attempts.add(w.attempt())))
            .as("the live child holds its claim")
            .isFalse();
        child.destroyForcibly().waitFor();
        long killed = System.nanoTime();
        // Liveness is cached for 50 ms; the takeover comes at the first claim after that.
        while (!survivor.once(w -> attempts.add(w.attempt()))) {
          assertThat(System.nanoTime() - killed).isLessThan(TimeUnit.SECONDS.toNanos(60));
          Thread.sleep(5);
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(attempts).containsExactly(2);
        assertThat(tookMillis)
            .as("taken over without waiting out the 10-minute lease")
            .isLessThan(10_000);
        assertThat(store.stream("jobs").groups().get(0).committed()).isEqualTo(1);
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
