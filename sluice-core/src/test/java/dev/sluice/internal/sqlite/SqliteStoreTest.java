package dev.sluice.internal.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreContractTest.Tick;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import dev.sluice.SyncMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded store does: files, formats, locks and several processes. */
class SqliteStoreTest {
  @TempDir Path dir;

  private String url() {
    return "sqlite:" + dir.resolve("store");
  }

  @Test
  void aFileThatIsNotASqliteDatabaseIsRefusedAndLeftAlone() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    byte[] junk =
        "this is a text file, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
    Files.write(store.resolve("sluice.db"), junk);
    assertThatThrownBy(() -> Sluice.open(url()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("sluice.db is not a SQLite database");
    assertThat(Files.readAllBytes(store.resolve("sluice.db"))).isEqualTo(junk);
  }

  @Test
  void aSqliteDatabaseOfSomethingElseIsRefused() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.resolve("sluice.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY)");
    }
    assertThatThrownBy(() -> Sluice.open(url()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not a Sluice store")
        .hasMessageContaining("customers");
  }

  @Test
  void aStoreWrittenByANewerFormatVersionIsRefused() throws Exception {
    try (Store store = Sluice.open(url())) {
      store.stream("s").append(Map.of("a", 1));
    }
    execute("UPDATE meta SET value = '99' WHERE key = 'format_version'");
    assertThatThrownBy(() -> Sluice.open(url()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("format version 99")
        .hasMessageContaining("reads up to format 1");
  }

  @Test
  void aStoreDirectoryThatCannotBeCreatedIsReported() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> Sluice.open("sqlite:" + file.resolve("store")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot create store directory");
    assertThatThrownBy(() -> Sluice.open("sqlite:" + file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not a directory");
    // Even root cannot create a directory in procfs.
    assertThatThrownBy(() -> Sluice.open("sqlite:/proc/sluice-cannot-be-here"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("/proc/sluice-cannot-be-here");
  }

  @Test
  void aReadOnlyStoreDirectoryIsReported() throws Exception {
    assumeFalse(
        "root".equals(System.getProperty("user.name")), "root may write a read-only directory");
    Path store = Files.createDirectories(dir.resolve("store"));
    store.toFile().setWritable(false);
    try {
      assertThatThrownBy(() -> Sluice.open(url())).isInstanceOf(StoreException.class);
    } finally {
      store.toFile().setWritable(true);
    }
  }

  @Test
  void theDatabaseIsWalWithIncrementalAutoVacuum() throws Exception {
    try (Store store = Sluice.open(url())) {
      store.stream("s").append(Map.of("a", 1));
      assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
      assertThat(query("PRAGMA auto_vacuum")).isEqualTo("2");
      assertThat(query("SELECT value FROM meta WHERE key = 'format_version'")).isEqualTo("1");
    }
  }

  @Test
  void theWalIsCheckpointedAndKeptBoundedWhileWriting() throws Exception {
    try (Store store = Sluice.open(url())) {
      EventStream<byte[]> s = store.stream("bulk", dev.sluice.Codecs.bytes());
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        batch.add(new byte[1_000]);
      }
      for (int i = 0; i < 24; i++) { // ~24 MB of records
        s.appendAll(batch);
      }
      // Checkpoints moved the records into the database file and the WAL was reused.
      Path wal = dir.resolve("store").resolve("sluice.db-wal");
      assertThat(Files.size(wal)).isLessThan(12L << 20);
      assertThat(Files.size(dir.resolve("store").resolve("sluice.db"))).isGreaterThan(12L << 20);
    }
  }

  @Test
  void aRelativeAndAnAbsolutePathToOneDirectoryShareOneStore() throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    Path relative = cwd.relativize(dir.resolve("store"));
    try (Store a = Sluice.open(url());
        Store b = Sluice.open("sqlite:" + relative)) {
      assertThat(b.url()).isEqualTo(a.url()).startsWith("sqlite:/");
      a.stream("s").append(Map.of("v", 1));
      assertThat(b.stream("s").read(0, 10)).hasSize(1);
    }
  }

  @Test
  void openingTheSameStoreWithOtherOptionsIsRefused() {
    try (Store a = Sluice.open(url())) {
      assertThatThrownBy(() -> Sluice.open(url(), StoreOptions.defaults().sync(SyncMode.FULL)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already open");
    }
  }

  @Test
  void fullSyncModeWritesAndReadsBack() {
    try (Store store = Sluice.open(url(), StoreOptions.defaults().sync(SyncMode.FULL))) {
      store.stream("s").appendAll(List.of(Map.of("a", 1), Map.of("a", 2)));
    }
    try (Store store = Sluice.open(url())) {
      assertThat(store.stream("s").read(0, 10)).hasSize(2);
    }
  }

  @Test
  void appendAsyncBlocksWhenTooManyArePendingThenFailsClearly() throws Exception {
    StoreOptions options =
        StoreOptions.defaults().maxPendingAppends(2).appendTimeout(Duration.ofMillis(300));
    try (Store store = Sluice.open(url(), options)) {
      EventStream<Map<String, Object>> s = store.stream("slow");
      Process holder =
          ChildJvm.start(
              LockHolderMain.class,
              dir.resolve("holder.log"),
              dir.resolve("store").resolve("write.lock").toString());
      try {
        awaitLine(dir.resolve("holder.log"), "locked");
        // Another process holds the write lock, so nothing can commit.
        CompletableFuture<Long> first = s.appendAsync(Map.of("n", 1));
        CompletableFuture<Long> second = s.appendAsync(Map.of("n", 2));
        assertThatThrownBy(() -> s.appendAsync(Map.of("n", 3)))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("maxPendingAppends")
            .hasMessageContaining("2 appends are still pending");
        assertThat(first).isNotDone();
        holder.getOutputStream().close();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(s.appendAsync(Map.of("n", 4)).get(30, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(s.read(0, 10)).extracting(r -> r.value().get("n")).containsExactly(1, 2, 4);
      } finally {
        holder.destroyForcibly();
      }
    }
  }

  @Test
  void threeProducerProcessesAppendingAtOnceLoseNothingAndKeepTheirOrder() throws Exception {
    int perProcess = 100_000;
    try (Store store = Sluice.open(url())) {
      store.stream("shared"); // created before the race, so the processes all append
    }
    List<Process> producers = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      producers.add(
          ChildJvm.start(
              ProducerMain.class,
              dir.resolve("producer-" + p + ".log"),
              url(),
              "shared",
              Integer.toString(p),
              Integer.toString(perProcess)));
    }
    for (int p = 0; p < 3; p++) {
      assertThat(producers.get(p).waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(producers.get(p).exitValue())
          .as(Files.readString(dir.resolve("producer-" + p + ".log")))
          .isZero();
    }
    try (Store store = Sluice.open(url())) {
      EventStream<Tick> s = store.stream("shared", Tick.class);
      long[] next = new long[3];
      long offset = 0;
      int switches = 0;
      int lastProducer = -1;
      for (List<Record<Tick>> page; !(page = s.read(offset, 10_000)).isEmpty(); ) {
        for (Record<Tick> r : page) {
          assertThat(r.offset()).isEqualTo(offset++);
          Tick t = r.value();
          assertThat(t.seq()).as("producer %d's order", t.producer()).isEqualTo(next[t.producer()]);
          next[t.producer()]++;
          if (t.producer() != lastProducer) {
            switches++;
            lastProducer = t.producer();
          }
        }
      }
      assertThat(next).containsExactly(perProcess, perProcess, perProcess);
      assertThat(offset).isEqualTo(3L * perProcess);
      assertThat(switches).as("the processes' appends interleaved").isGreaterThan(3);
    }
    assertThat(query("PRAGMA integrity_check")).isEqualTo("ok");
  }

  @Test
  void closingWhileThreadsAppendFinishesOrRefusesEveryAppendAndNeverHangs() throws Exception {
    Store store = Sluice.open(url());
    EventStream<Tick> s = store.stream("racing", Tick.class);
    int threads = 6;
    List<Thread> workers = new ArrayList<>();
    // Written by the appending threads, read by this one: atomic, so every write is seen.
    AtomicLongArray acknowledged = new AtomicLongArray(threads);
    List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w =
          new Thread(
              () -> {
                started.countDown();
                try {
                  for (long i = 0; ; i++) {
                    if (id % 2 == 0) {
                      s.append(new Tick(id, i));
                    } else {
                      s.appendAsync(new Tick(id, i)).join();
                    }
                    acknowledged.set(id, i + 1);
                  }
                } catch (StoreException | java.util.concurrent.CompletionException e) {
                  Throwable cause = e instanceof StoreException ? e : e.getCause();
                  if (!(cause instanceof StoreException)
                      || !cause.getMessage().contains("closed")) {
                    unexpected.add(e);
                  }
                } catch (Throwable e) {
                  unexpected.add(e);
                }
              });
      w.start();
      workers.add(w);
    }
    started.await();
    while (acknowledged.get(0) < 200 || acknowledged.get(1) < 200) {
      Thread.sleep(1);
    }
    store.close();
    for (Thread w : workers) {
      w.join(30_000);
      assertThat(w.isAlive()).as("a writer thread hangs after close").isFalse();
    }
    assertThat(unexpected).isEmpty();
    try (Store reopened = Sluice.open(url())) {
      long[] found = new long[threads];
      for (Record<Tick> r : reopened.stream("racing", Tick.class).read(0, 1_000_000)) {
        assertThat(r.value().seq()).isEqualTo(found[r.value().producer()]);
        found[r.value().producer()]++;
      }
      for (int t = 0; t < threads; t++) {
        assertThat(found[t])
            .as("acknowledged appends of thread %d are kept", t)
            .isGreaterThanOrEqualTo(acknowledged.get(t));
      }
    }
  }

  @Test
  void interruptedWritersNeitherFailNorBreakTheStore() throws Exception {
    try (Store store = Sluice.open(url())) {
      EventStream<Map<String, Object>> s = store.stream("t");
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < 200; i++) {
                  Thread.currentThread().interrupt(); // as a job's stop() or a user might
                  try {
                    s.append(Map.of("i", i));
                  } catch (RuntimeException e) {
                    failures.add(e);
                  }
                  assertThat(Thread.interrupted())
                      .as("the interrupt is kept for the caller")
                      .isTrue();
                }
              });
      t.start();
      for (int i = 0; i < 200; i++) {
        t.interrupt(); // and while it is inside a write
        s.append(Map.of("m", i));
      }
      t.join();
      assertThat(failures).isEmpty();
      assertThat(s.append(Map.of("after", true))).isEqualTo(400);
    }
  }

  @Test
  void droppedRecordsArePurgedInTheBackground() throws Exception {
    try (Store store = Sluice.open(url())) {
      EventStream<Map<String, Object>> s = store.stream("big");
      List<Map<String, Object>> values = new ArrayList<>();
      for (int i = 0; i < 12_000; i++) {
        values.add(Map.of("i", i));
      }
      s.appendAll(values);
      store.stream("kept").append(Map.of("k", 1));
      store.drop("big");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      // The purge deletes the records in batches, then its own bookkeeping row.
      while (!query("SELECT count(*) FROM records").equals("1")
          || !query("SELECT count(*) FROM purge").equals("0")) {
        assertThat(System.nanoTime()).as("purge finished within 30 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      assertThat(query("SELECT count(*) FROM purge")).isEqualTo("0");
      assertThat(store.stream("kept").read(0, 10)).hasSize(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private String query(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(log) || !Files.readString(log).contains(line)) {
      assertThat(System.nanoTime()).as("child printed " + line).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
