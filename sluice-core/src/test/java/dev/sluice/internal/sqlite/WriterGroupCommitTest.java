package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Codecs;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.spi.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synchronous appends from many threads share commits (issue 18 item 1): the callers combine their
 * own commits instead of committing one record each.
 */
class WriterGroupCommitTest {
  private static final int THREADS = 16;
  private static final int PER_THREAD = 300;

  @TempDir Path dir;

  @Test
  void sixteenThreadsOfSynchronousAppendsShareCommitsAndKeepEachThreadsOrder() throws Exception {
    Path store = dir.resolve("store");
    try (Store s = Sluice.open("sqlite:" + store)) {
      s.stream("s", Codecs.bytes()).append(new byte[] {0}); // creates the schema and the stream
    }
    AtomicInteger commits = new AtomicInteger();
    AtomicInteger byWriterThread = new AtomicInteger();
    Runnable onCommit =
        () -> {
          commits.incrementAndGet();
          if (Thread.currentThread().getName().startsWith("sluice-sqlite-writer-")) {
            byWriterThread.incrementAndGet();
          }
        };
    long[][] offsets = new long[THREADS][PER_THREAD];
    try (WriteLock lock = new WriteLock(store.resolve("write.lock"));
        Connection c = SqliteBackend.connect(store.resolve("sluice.db"))) {
      Writer writer = new Writer(c, lock, Clock.systemUTC(), "test", onCommit);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread w =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < PER_THREAD; i++) {
                    byte[] value = (thread + ":" + i).getBytes(StandardCharsets.UTF_8);
                    offsets[thread][i] = writer.append("s", List.of(new Entry(null, value)));
                  }
                });
        w.start();
        threads.add(w);
      }
      go.countDown();
      for (Thread w : threads) {
        w.join();
      }
      writer.close();

      int records = THREADS * PER_THREAD;
      // One commit per record would be 4,800 commits; combined, up to sixteen callers share each.
      assertThat(commits.get())
          .as("commits for %d synchronous appends from %d threads", records, THREADS)
          .isLessThanOrEqualTo(records / 8);
      // The callers commit for each other: no handoff to the writer's own thread and back.
      assertThat(byWriterThread.get())
          .as("commits led by the writer's background thread, of %d", commits.get())
          .isLessThanOrEqualTo(records / 100);
      try (Statement st = c.createStatement()) {
        for (int t = 0; t < THREADS; t++) {
          for (int i = 0; i < PER_THREAD; i++) {
            if (i > 0) {
              assertThat(offsets[t][i]).isGreaterThan(offsets[t][i - 1]);
            }
            try (ResultSet rs =
                st.executeQuery(
                    "SELECT r.value FROM records r JOIN streams s ON s.id = r.stream_id"
                        + " WHERE s.name = 's' AND r.ofs = "
                        + offsets[t][i])) {
              assertThat(rs.next()).isTrue();
              assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8)).isEqualTo(t + ":" + i);
            }
          }
        }
      }
    }
  }
}
