package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.internal.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process lock files: those of dead processes are removed and not counted, and a consumer process
 * ended by SIGTERM releases its claims and removes its own (issue 10 item 8).
 */
class ProcessLockTest {
  @TempDir Path dir;

  private Path store() {
    return dir.resolve("store");
  }

  private List<String> lockFiles() throws Exception {
    try (Stream<Path> files = Files.list(store().resolve("procs"))) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void lockFilesOfDeadProcessesAreRemovedAndOnlyLiveOnesCountAsOthers() throws Exception {
    Path procs = Files.createDirectories(store().resolve("procs"));
    for (int i = 0; i < 6; i++) { // as kill -9 or Ctrl-C leave them: unlocked
      Files.createFile(procs.resolve(UUID.randomUUID() + ".lock"));
    }
    try (Store store = Sluice.open("sqlite:" + store())) {
      Processes processes = ((SqliteBackend) Stores.backendOf(store)).processes();
      assertThat(lockFiles())
          .as("the stale files are gone once a process opened the store")
          .containsExactly(processes.self() + ".lock");
      assertThat(processes.othersPresent())
          .as("alone: the change poller need not poll every 2 ms")
          .isFalse();

      store.stream("s").append(Map.of("n", 1));
      Process other =
          ChildJvm.start(
              ConsumerUntilSignalMain.class, dir.resolve("child.log"), "" + store(), "s");
      try {
        awaitLine(dir.resolve("child.log"), "HANDLING 0", other);
        assertThat(lockFiles()).hasSize(2);
        awaitOthers(processes, true);
        other.destroyForcibly().waitFor();
        awaitOthers(processes, false);
        assertThat(lockFiles()).containsExactly(processes.self() + ".lock");
      } finally {
        other.destroyForcibly();
      }
    }
    assertThat(lockFiles()).isEmpty();
  }

  @Test
  void aConsumerProcessEndedBySigtermReleasesItsClaimsAndRemovesItsLockFile() throws Exception {
    try (Store store = Sluice.open("sqlite:" + store())) {
      List<Map<String, Object>> values = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        values.add(Map.of("n", i));
      }
      store.stream("s").appendAll(values);
    }
    Path log = dir.resolve("child.log");
    Process child = ChildJvm.start(ConsumerUntilSignalMain.class, log, "" + store(), "s");
    try {
      awaitLine(log, "HANDLING 2", child);
      child.destroy(); // SIGTERM, as `kill` or a service manager sends
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child ended").isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(lockFiles()).as("its lock file is removed").isEmpty();
    assertThat(query("SELECT count(*) FROM windows WHERE state = 0"))
        .as("windows still claimed: " + Files.readString(log))
        .isEqualTo("0");
    assertThat(Long.parseLong(query("SELECT committed FROM groups WHERE name = 'g'")))
        .as("what it handled is committed")
        .isGreaterThanOrEqualTo(2);
  }

  private static void awaitOthers(Processes processes, boolean expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (processes.othersPresent() != expected) {
      assertThat(System.nanoTime()).as("othersPresent() = " + expected).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private String query(String sql) throws Exception {
    return StoreDb.query(store(), sql);
  }

  private static void awaitLine(Path log, String line, Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(log) || !Files.readString(log).contains(line)) {
      if (!child.isAlive()) {
        throw new AssertionError("child died: " + Files.readString(log));
      }
      assertThat(System.nanoTime()).as("child printed " + line).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
