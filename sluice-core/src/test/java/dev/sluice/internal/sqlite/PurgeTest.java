package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.internal.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropped and cleared streams are purged in short transactions, whatever their records' sizes, and
 * their space goes back to the file system (issue 10 item 7).
 */
class PurgeTest {
  @TempDir Path dir;

  private Path store() {
    return dir.resolve("store");
  }

  @Test
  void aDroppedStreamIsPurgedInStepsBoundedByBytesAndItsSpaceGivenBack() throws Exception {
    try (Store store = Sluice.open("sqlite:" + store())) {
      EventStream<byte[]> big = store.stream("big", Codecs.bytes());
      big.appendAll(Collections.nCopies(2_000, new byte[1_000])); // 2,000 of 1 kB
      big.appendAll(Collections.nCopies(40, new byte[300_000])); // 40 of 300 kB
      big.appendAll(Collections.nCopies(2, new byte[3_000_000])); // 2 of 3 MB
      big.appendAll(Collections.nCopies(3_000, new byte[100])); // 3,000 of 100 B
      store.stream("kept").append(Map.of("k", 1));
      // The records may still sit in the WAL until the checkpointer copies them: count both files.
      Path wal = store().resolve("sluice.db-wal");
      long fullSize =
          Files.size(store().resolve("sluice.db")) + (Files.exists(wal) ? Files.size(wal) : 0);
      assertThat(fullSize).isGreaterThan(20L << 20);

      List<Purger.Step> steps = Collections.synchronizedList(new ArrayList<>());
      ((SqliteBackend) Stores.backendOf(store)).purger().onStep(steps::add);
      assertThat(store.drop("big")).isTrue();
      awaitPurged();

      assertThat(steps.stream().mapToInt(Purger.Step::rows).sum()).isEqualTo(5_042);
      for (Purger.Step step : steps) {
        assertThat(step.bytes() <= Purger.MAX_BYTES || step.rows() == 1)
            .as("a step deletes at most %d bytes or one record: %s", Purger.MAX_BYTES, step)
            .isTrue();
        assertThat(step.rows()).isLessThanOrEqualTo(Purger.MAX_ROWS);
      }
      assertThat(store.stream("kept").read(0, 10)).hasSize(1);
      assertThat(store.stream("big", Codecs.bytes()).read(0, 10)).isEmpty();
    }
    assertThat(query("PRAGMA freelist_count")).as("free pages left").isEqualTo("0");
    assertThat(Files.size(store().resolve("sluice.db"))).as("the file shrank").isLessThan(2L << 20);
    assertThat(query("PRAGMA integrity_check")).isEqualTo("ok");
  }

  @Test
  void aClearedStreamIsPurgedAndAPurgeLeftByAClosedStoreResumesAtTheNextOpen() throws Exception {
    try (Store store = Sluice.open("sqlite:" + store())) {
      EventStream<byte[]> s = store.stream("s", Codecs.bytes());
      for (int i = 0; i < 20; i++) {
        s.appendAll(Collections.nCopies(1_000, new byte[1_000]));
      }
      ((SqliteBackend) Stores.backendOf(store)).purger().close(); // as if it never ran
      s.clear();
      s.append(new byte[] {1});
      assertThat(query("SELECT count(*) FROM purge")).isEqualTo("1");
    }
    try (Store store = Sluice.open("sqlite:" + store())) {
      awaitPurged();
      assertThat(store.stream("s", Codecs.bytes()).read(0, 10))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).containsExactly(1));
    }
  }

  /** Waits until no record of a dropped stream and no free page is left. */
  private void awaitPurged() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!query("SELECT count(*) FROM records WHERE stream_id NOT IN (SELECT id FROM streams)")
            .equals("0")
        || !query("SELECT count(*) FROM purge").equals("0")
        || !query("PRAGMA freelist_count").equals("0")) {
      assertThat(System.nanoTime()).as("purged within 60 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private String query(String sql) throws Exception {
    return StoreDb.query(store(), sql);
  }
}
