package dev.sluice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SyncMode;
import dev.sluice.internal.sqlite.ChildJvm;
import dev.sluice.reliability.LedgerCheck.Kill;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of TESTING.md's ledger protocol: producer and consumer JVMs share one store; the
 * test kills them with SIGKILL at seeded random moments and restarts them; then the validator
 * ({@link LedgerCheck}) checks that nothing acknowledged was lost, that duplicates stay within the
 * windows in flight at the kills (none with the exactly-once table sink), that windows keep
 * per-producer order, that a killed consumer's windows were taken over well within the lease, and
 * that the database is intact.
 *
 * <p>Replay a failure with {@code -Dsluice.reliability.seed=<seed>}: the seed fixes the schedule
 * (which process is killed, when, with what batches and poison records); the operating system still
 * decides the exact interleaving.
 */
class CrashLedgerTest {
  /** The URL of a fresh store for a run; the embedded store in {@code dir} here. */
  String url(Path dir) {
    return "sqlite:" + dir;
  }

  /** The database of the store {@link #url} gave for {@code dir}. */
  LedgerCheck.Db db(Path dir) {
    return LedgerCheck.sqlite(dir);
  }

  private static final String STREAM = "events";
  private static final String GROUP = "ledger";
  private static final int PRODUCERS = 2;
  private static final int CONSUMERS = 3;
  private static final int WORKERS = 2;
  private static final int SIZE = 20;
  private static final int MAX_BATCH = 40;
  private static final int POISON_PER_MILLE = 5;
  private static final long TAKEOVER_BOUND_MILLIS = 10_000;
  private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  @TempDir Path tmp;

  @Test
  void atLeastOnceInSyncNormalLosesNothingUnder22ConsumerKills() throws Exception {
    run("alo-normal", SyncMode.NORMAL, false, 22, 4, 20);
  }

  @Test
  void exactlyOnceTableSinkInSyncFullHasNoDuplicatesUnderKills() throws Exception {
    run("eo-full", SyncMode.FULL, true, 8, 2, 25);
  }

  private record Proc(String name, Process process, Path file, long started) {}

  private void run(
      String scenario,
      SyncMode sync,
      boolean exactlyOnce,
      int consumerKills,
      int producerKills,
      long producerPause)
      throws Exception {
    long seed = Long.getLong("sluice.reliability.seed", System.nanoTime());
    String replay =
        "[" + scenario + " seed " + seed + "; replay: -Dsluice.reliability.seed=" + seed + "]";
    System.out.println(replay);
    Random rnd = new Random(seed ^ scenario.hashCode());
    Path store = Files.createDirectories(tmp.resolve("store"));
    Path work = Files.createDirectories(tmp.resolve("work"));
    String url = url(store);
    LedgerCheck.Db db = db(store);
    long t0 = System.nanoTime();
    Proc[] producers = new Proc[PRODUCERS];
    int[] producerInc = new int[PRODUCERS];
    Proc[] consumers = new Proc[CONSUMERS];
    int[] consumerInc = new int[CONSUMERS];
    List<Proc> all = Collections.synchronizedList(new ArrayList<>());
    List<Kill> kills = new ArrayList<>();
    int midBatch = 0;
    try {
      for (int i = 0; i < CONSUMERS; i++) {
        consumers[i] = consumer(url, sync, exactlyOnce, work, i, consumerInc[i]++, all);
      }
      for (int i = 0; i < PRODUCERS; i++) {
        producers[i] =
            producer(url, sync, work, i, producerInc[i]++, producerPause, rnd.nextLong(), all);
      }
      // ---- chaos
      int ck = 0;
      int pk = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while ((ck < consumerKills || pk < producerKills) && System.nanoTime() < deadline) {
        Thread.sleep(100 + rnd.nextInt(300));
        boolean producerTurn =
            pk < producerKills
                && (ck >= consumerKills
                    || rnd.nextInt(consumerKills + producerKills) < producerKills);
        if (producerTurn) {
          int slot = rnd.nextInt(PRODUCERS);
          Proc p = producers[slot];
          if (!contains(p.file(), "A ")) {
            continue;
          }
          // Wait (up to 1 s) for the producer to be inside an append: its last line is "B".
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
          while (!lastLine(p.file()).startsWith("B") && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          long at = System.currentTimeMillis();
          kill(p);
          boolean mid = lastLine(p.file()).startsWith("B");
          midBatch += mid ? 1 : 0;
          kills.add(new Kill(p.name(), false, at, mid ? "mid-batch" : "between batches"));
          producers[slot] =
              producer(
                  url, sync, work, slot, producerInc[slot]++, producerPause, rnd.nextLong(), all);
          pk++;
        } else {
          List<Integer> ready = new ArrayList<>();
          for (int i = 0; i < CONSUMERS; i++) {
            if (Files.size(consumers[i].file()) > 0) {
              ready.add(i);
            }
          }
          if (ready.size() < 2) {
            continue; // keep a survivor that is already consuming
          }
          // A quarter of the kills wait for a consumer inside its record-by-record retries before
          // dead letters, a quarter for one that just wrote a window to its sink (so the kill
          // lands between sink and commit); the rest land wherever the consumer is.
          int target = rnd.nextInt(4);
          if (exactlyOnce && target == 2) {
            target = 0; // no sink lines to wait for: the table is written inside the commit
          }
          int slot = ready.get(rnd.nextInt(ready.size()));
          if (target > 0 && target < 3) {
            slot = await(consumers, ready, target == 1 ? " D " : "R ", 3_000);
          } else {
            Thread.sleep(rnd.nextInt(20));
          }
          Proc c = consumers[slot];
          long at = System.currentTimeMillis();
          kill(c);
          kills.add(new Kill(c.name(), true, at, moment(c.file())));
          consumers[slot] = consumer(url, sync, exactlyOnce, work, slot, consumerInc[slot]++, all);
          ck++;
        }
      }
      long chaosMillis = (System.nanoTime() - t0) / 1_000_000;
      // ---- producers finish, consumers drain, then stop
      for (Proc p : producers) {
        p.process().getOutputStream().close();
      }
      for (Proc p : producers) {
        assertThat(p.process().waitFor(30, TimeUnit.SECONDS))
            .as(replay + " producer exits")
            .isTrue();
        assertThat(p.process().exitValue()).as(replay + " producer " + p.name()).isZero();
      }
      long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!drained(db) && System.nanoTime() < drainDeadline) {
        Thread.sleep(100);
      }
      for (Proc c : consumers) {
        c.process().getOutputStream().close();
      }
      for (Proc c : consumers) {
        assertThat(c.process().waitFor(30, TimeUnit.SECONDS))
            .as(replay + " consumer exits")
            .isTrue();
        assertThat(c.process().exitValue())
            .as(replay + " consumer " + c.name() + " exit, see " + log(c))
            .isZero();
      }
      long totalMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ck).as(replay + " consumer kills").isEqualTo(consumerKills);
      assertThat(pk).as(replay + " producer kills").isEqualTo(producerKills);

      // ---- validate
      long bound = exactlyOnce ? 0 : (long) consumerKills * WORKERS * SIZE;
      LedgerCheck.Result r = LedgerCheck.check(db, work, STREAM, GROUP, exactlyOnce, kills, bound);
      List<Long> took = new ArrayList<>(r.takeoverMillis);
      Collections.sort(took);
      String summary =
          String.format(
              "%s %s: sync %s, %s, %d consumers x %d workers, windows of %d; kills: %d consumers"
                  + " (moments %s), %d producers (%d mid-batch); records: %d acknowledged, %d in"
                  + " the stream (%d stored but unacknowledged), %d poison; processed %d (%d"
                  + " distinct), duplicates %d (bound %d; %d windows written twice), dead-lettered %d (%d abandoned good"
                  + " records), lost %d; windows checked %d; takeovers %d, max %d ms, median %d"
                  + " ms; integrity_check %s; chaos %d ms, total %d ms",
              replay,
              r.failures.isEmpty() ? "PASSED" : "FAILED",
              sync,
              exactlyOnce ? "exactly-once table sink" : "at-least-once file sink",
              CONSUMERS,
              WORKERS,
              SIZE,
              ck,
              r.consumerKillMoments,
              pk,
              midBatch,
              r.acknowledged,
              r.inStream,
              r.unacknowledgedButStored,
              r.poisonInStream,
              r.processed,
              r.processedDistinct,
              r.duplicates,
              bound,
              r.windowsRedelivered,
              r.deadLettered,
              r.deadAbandoned,
              r.lost,
              r.windowsChecked,
              r.takeovers,
              r.maxTakeoverMillis,
              took.isEmpty() ? -1 : took.get(took.size() / 2),
              r.integrity,
              chaosMillis,
              totalMillis);
      System.out.println(summary);
      report(summary);
      assertThat(r.failures).as(replay + " validator failures").isEmpty();
      assertThat(r.takeovers).as(replay + " takeovers measured").isPositive();
      assertThat(r.maxTakeoverMillis)
          .as(replay + " max takeover time (lease 60 s)")
          .isLessThan(TAKEOVER_BOUND_MILLIS);
      assertThat(r.inStream).as(replay + " records").isGreaterThan(1000);
    } finally {
      for (Proc p : all) {
        if (p.process().isAlive()) {
          p.process().destroyForcibly();
        }
      }
    }
  }

  /**
   * Waits up to {@code millis} for a consumer whose last line contains {@code marker} (spinning, so
   * the kill follows at once); returns its slot, or a random ready one if none showed up.
   */
  private static int await(Proc[] consumers, List<Integer> ready, String marker, long millis)
      throws IOException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < until) {
      for (int slot : ready) {
        String last = lastLine(consumers[slot].file());
        if (marker.equals("R ") ? last.startsWith("R ") : last.contains(marker)) {
          return slot;
        }
      }
      Thread.onSpinWait();
    }
    return ready.get(0);
  }

  /**
   * Where a killed consumer was, from its file: inside a handler's record-by-record retries (a
   * window started with phase D and not written), inside a handler, or past its handlers (sink
   * written: committing, claiming or waiting). With exactly-once nothing is written to the file but
   * starts, so "in a handler" there means "in a handler or its commit".
   */
  private static String moment(Path file) throws IOException {
    java.util.Map<String, String> open = new java.util.HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      String[] t = line.split(" ");
      if (t.length >= 4 && t[0].equals("S")) {
        open.put(t[1], t[3]);
      } else if (t.length >= 4 && t[0].equals("R")) {
        open.remove(t[1]);
      }
    }
    if (open.containsValue("D")) {
      return "mid-dead-letter";
    }
    return open.isEmpty() ? "past-handlers" : "mid-window";
  }

  private static void kill(Proc p) throws InterruptedException {
    p.process().destroyForcibly();
    if (!p.process().waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + p.name() + " survived SIGKILL");
    }
  }

  private static Proc consumer(
      String url, SyncMode sync, boolean eo, Path work, int slot, int inc, List<Proc> all)
      throws IOException {
    String name = "c" + slot + "." + inc;
    Path file = work.resolve(name + ".out");
    Files.createFile(file);
    Process p =
        ChildJvm.start(
            LedgerConsumerMain.class,
            work.resolve(name + ".log"),
            JVM,
            url,
            sync.name(),
            STREAM,
            GROUP,
            String.valueOf(WORKERS),
            String.valueOf(SIZE),
            eo ? "eo" : "alo",
            file.toString(),
            "10",
            "40");
    Proc proc = new Proc(name, p, file, System.nanoTime());
    all.add(proc);
    return proc;
  }

  private static Proc producer(
      String url,
      SyncMode sync,
      Path work,
      int slot,
      int inc,
      long pause,
      long seed,
      List<Proc> all)
      throws IOException {
    int id = (slot + 1) * 100 + inc;
    Path file = work.resolve("p" + id + ".ledger");
    Files.createFile(file);
    Process p =
        ChildJvm.start(
            LedgerProducerMain.class,
            work.resolve("p" + id + ".log"),
            JVM,
            url,
            sync.name(),
            STREAM,
            String.valueOf(id),
            String.valueOf(MAX_BATCH),
            String.valueOf(pause),
            file.toString(),
            String.valueOf(POISON_PER_MILLE),
            String.valueOf(seed));
    Proc proc = new Proc("p" + id, p, file, System.nanoTime());
    all.add(proc);
    return proc;
  }

  private static boolean contains(Path file, String s) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).contains(s);
  }

  /** The last complete or partial line of a file, read from its tail. */
  private static String lastLine(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 4096);
      byte[] b = new byte[n];
      f.seek(len - n);
      f.readFully(b);
      String tail = new String(b, StandardCharsets.US_ASCII);
      if (tail.endsWith("\n")) {
        tail = tail.substring(0, tail.length() - 1);
      }
      return tail.substring(tail.lastIndexOf('\n') + 1);
    }
  }

  /** Whether the group has finished every record of the stream. */
  private static boolean drained(LedgerCheck.Db db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT g.committed, st.next_offset FROM groups g JOIN streams st"
                    + " ON st.id = g.stream_id WHERE st.name = '"
                    + STREAM
                    + "' AND g.name = '"
                    + GROUP
                    + "'")) {
      return rs.next() && rs.getLong(1) == rs.getLong(2);
    }
  }

  private static Path log(Proc p) {
    return p.file().resolveSibling(p.name() + ".log");
  }

  /** Appends the run's summary to target/reliability-report.txt for docs/RELIABILITY.md. */
  private static void report(String summary) throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(
          target.resolve("reliability-report.txt"),
          summary + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }
}
