package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.internal.sqlite.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets become visible in offset order: while writer processes append from many connections at
 * once, readers tailing the stream never see offset n+1 before offset n.
 */
class OffsetVisibilityTest {
  private static final int WRITERS = 3;
  private static final int THREADS = 4;
  private static final int APPENDS = 150;

  @TempDir Path dir;

  /** Follows a stream from offset 0; records every read that skipped an offset. */
  private interface Reader {
    /** Offsets from {@code from} on, in order, at most 500. */
    List<Long> read(long from) throws Exception;
  }

  /** Tails with {@code reader} until {@code stop} and all of {@code expected} is seen. */
  private static Thread tail(
      Reader reader,
      AtomicBoolean stop,
      AtomicLong expected,
      Collection<String> gaps,
      AtomicLong seen) {
    Thread t =
        new Thread(
            () -> {
              long next = 0;
              try {
                while (!stop.get() || next < expected.get()) {
                  List<Long> got = reader.read(next);
                  for (long ofs : got) {
                    if (ofs != next) {
                      gaps.add("expected offset " + next + ", read " + ofs);
                    }
                    next = ofs + 1;
                  }
                  if (got.isEmpty()) {
                    Thread.yield();
                  }
                }
              } catch (Exception e) {
                gaps.add("reader failed: " + e);
              }
              seen.set(next);
            });
    t.start();
    return t;
  }

  private static List<Long> offsets(PreparedStatement query) throws java.sql.SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  @Test
  void tailingReadersNeverSeeAGapWhileWriterProcessesAppendAtOnce() throws Exception {
    String url = TestPostgres.freshUrl();
    try (Store store = Sluice.open(url);
        Connection raw = TestPostgres.connect()) {
      EventStream<Map<String, Object>> gap = store.stream("gap");
      String schema = url.substring(url.indexOf("schema=") + 7);
      long streamId;
      try (Statement s = raw.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT id FROM " + schema + ".streams WHERE name = 'gap'")) {
        rs.next();
        streamId = rs.getLong(1);
      }
      PreparedStatement rawRead =
          raw.prepareStatement(
              "SELECT ofs FROM "
                  + schema
                  + ".records WHERE stream_id = ? AND ofs >= ? ORDER BY ofs LIMIT 500");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
      ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
      AtomicLong seenByApi = new AtomicLong();
      AtomicLong seenByJdbc = new AtomicLong();
      List<Thread> readers = new ArrayList<>();
      readers.add(
          tail(
              from -> gap.read(from, 500).stream().map(Record::offset).toList(),
              stop,
              expected,
              found,
              seenByApi));
      readers.add(
          tail(
              from -> {
                rawRead.setLong(1, streamId);
                rawRead.setLong(2, from);
                return offsets(rawRead);
              },
              stop,
              expected,
              found,
              seenByJdbc));
      long seed = new Random().nextLong() & 0xffffff;
      List<Process> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(
            ChildJvm.start(
                GapWriterMain.class,
                dir.resolve("writer-" + w + ".log"),
                List.of("-XX:TieredStopAtLevel=1"),
                url,
                Integer.toString(w),
                Integer.toString(THREADS),
                Integer.toString(APPENDS),
                Long.toString(seed + w)));
      }
      for (int w = 0; w < WRITERS; w++) {
        assertThat(writers.get(w).waitFor(120, TimeUnit.SECONDS))
            .as("writer %d finished", w)
            .isTrue();
        assertThat(Files.readString(dir.resolve("writer-" + w + ".log")))
            .as("writer %d's output", w)
            .contains("done");
      }
      long total = gap.metadata().nextOffset();
      expected.set(total);
      stop.set(true);
      for (Thread t : readers) {
        t.join(60_000);
      }
      assertThat(found).as("gaps seen by tailing readers (seed %d)", seed).isEmpty();
      assertThat(total).isEqualTo(gap.metadata().recordCount());
      assertThat(seenByApi.get()).isEqualTo(total);
      assertThat(seenByJdbc.get()).isEqualTo(total);
    }
  }

  /**
   * The checker can fail: a table whose offsets come from a sequence taken at insert and made
   * visible at commit — the trap the store avoids — shows its tailing reader gaps.
   */
  @Test
  void aSequenceTableShowsItsTailingReaderGaps() throws Exception {
    String table = "naive_" + ProcessHandle.current().pid();
    try (Connection ddl = TestPostgres.connect();
        Statement s = ddl.createStatement()) {
      s.execute("CREATE TABLE " + table + "(ofs bigserial PRIMARY KEY, v int)");
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
    ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
    AtomicLong seen = new AtomicLong();
    try (Connection raw = TestPostgres.connect()) {
      PreparedStatement read =
          raw.prepareStatement(
              "SELECT ofs - 1 FROM " + table + " WHERE ofs > ? ORDER BY ofs LIMIT 500");
      Thread reader =
          tail(
              from -> {
                read.setLong(1, from);
                return offsets(read);
              },
              stop,
              expected,
              found,
              seen);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread t =
            new Thread(
                () -> {
                  Random random = new Random(writer);
                  try (Connection c = TestPostgres.connect()) {
                    c.setAutoCommit(false);
                    PreparedStatement ins =
                        c.prepareStatement("INSERT INTO " + table + "(v) VALUES (?)");
                    for (int i = 0; i < 300; i++) {
                      ins.setInt(1, writer);
                      ins.executeUpdate();
                      if (random.nextInt(4) == 0) {
                        Thread.sleep(1);
                      }
                      c.commit();
                    }
                  } catch (Exception e) {
                    found.add("writer failed: " + e);
                  }
                });
        t.start();
        writers.add(t);
      }
      for (Thread t : writers) {
        t.join();
      }
      expected.set(1_200);
      stop.set(true);
      reader.join(60_000);
    }
    assertThat(found).isNotEmpty().allMatch(g -> g.startsWith("expected offset"));
  }
}
