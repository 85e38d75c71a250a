package dev.sluice.internal.sqlite;

import dev.sluice.SluiceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the records of dropped and cleared streams (queued in table {@code purge}) on a
 * background thread, then gives the freed pages back to the file system, in write transactions
 * short enough that the writers queued behind each one hardly notice.
 *
 * <p>Each transaction deletes one range of offsets ({@code ofs BETWEEN lo AND hi}, a search on the
 * primary key, from the highest offsets down), bounded three ways: at most {@link #MAX_BYTES} of
 * keys and values (but always at least one record), at most a row budget, and about {@link
 * #TARGET_NANOS} of work: the range is deleted in chunks that start at one row and grow while rows
 * are cheap, and the step ends once the target is spent. The row budget adapts too: halved after a
 * slow step, doubled after a quick full one, between 1 and {@link #MAX_ROWS}. (The statement this
 * replaces, {@code DELETE … WHERE ofs IN (SELECT … LIMIT 5000)}, took 15–50 s per batch on a 270 MB
 * store, holding the write lock throughout.) After each step it rests as long as the step took, so
 * writers get the lock at least half the time. Then {@code PRAGMA incremental_vacuum(n)} returns
 * free pages in steps bounded and adapted the same way. A step that fails (a full disk) is retried
 * after a pause that doubles up to 30 s; the thread ends when nothing is left and starts again on
 * the next request. Safe with several processes purging one store at once: every step reads what is
 * left inside its own transaction.
 */
final class Purger {
  private static final Logger LOG = LoggerFactory.getLogger(Purger.class);

  /** Keys and values deleted per transaction at most, unless one record is larger. */
  static final long MAX_BYTES = 1L << 20;

  /** Records deleted per transaction at most. */
  static final int MAX_ROWS = 5_000;

  /** The work per transaction that the row and page budgets adapt to. */
  static final long TARGET_NANOS = 2_000_000L;

  private static final int MAX_PAGES = 4_096;
  private static final long MIN_REST_NANOS = 1_000_000L;
  private static final long MAX_REST_NANOS = 100_000_000L;

  /** One transaction's work, for tests and logs. */
  record Step(long streamId, int rows, long bytes, long nanos) {}

  /** Runs work in one write transaction of the store and returns its result after the commit. */
  @FunctionalInterface
  interface Writes {
    <T> T write(Tx<T> work);
  }

  private final String name;
  private final Writes writes;
  private final Object lock = new Object();
  private boolean requested;
  private boolean closed;
  private Thread thread;
  private int rowBudget = 256;
  private int pageBudget = 256;
  private volatile Consumer<Step> onStep = step -> {};

  Purger(String name, Writes writes) {
    this.name = name;
    this.writes = writes;
  }

  /** Calls {@code listener} after each committed delete step (tests watch the steps' bounds). */
  void onStep(Consumer<Step> listener) {
    this.onStep = listener;
  }

  /** Starts purging if it is not running; a running purge looks at the queue again when done. */
  void request() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      requested = true;
      if (thread == null) {
        thread = new Thread(this::run, "sluice-sqlite-purge-" + name);
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  /** Stops the thread after its current step; the queue is resumed at the next open. */
  void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean takeRequest() {
    synchronized (lock) {
      if (closed || !requested) {
        thread = null;
        return false;
      }
      requested = false;
      return true;
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void run() {
    int failures = 0;
    while (takeRequest()) {
      try {
        while (!isClosed() && deleteStep()) {
          // one bounded transaction at a time; writers queue between them
        }
        while (!isClosed() && vacuumStep()) {
          // likewise
        }
        if (failures > 0) {
          LOG.info("purging dropped streams of {} works again", name);
          failures = 0;
        }
      } catch (InterruptedException e) {
        break; // closing
      } catch (SluiceException e) {
        if (isClosed()) {
          break;
        }
        if (failures == 0) {
          LOG.warn("purging dropped streams of {} failed; retrying", name, e);
        }
        failures++;
        request();
        try {
          Thread.sleep(Math.min(30_000L, 1_000L << Math.min(failures - 1, 5)));
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
    synchronized (lock) {
      thread = null;
    }
  }

  /**
   * Deletes one range of a purged stream's records; false when the queue is empty. Then rests as
   * long as the step took, queueing and commit included (at least 1 ms), so the purge takes at most
   * about half of the write lock and of a core, and less when writers keep the lock busy.
   */
  private boolean deleteStep() throws InterruptedException {
    long start = System.nanoTime();
    Step step = writes.write(this::deleteSome);
    if (step == null) {
      return false;
    }
    rest(start);
    if (step.nanos() > TARGET_NANOS) {
      rowBudget = Math.max(1, rowBudget / 2);
    } else if (step.nanos() < TARGET_NANOS / 2 && step.rows() == rowBudget) {
      // every row the budget allowed was deleted in well under the target
      rowBudget = Math.min(MAX_ROWS, rowBudget * 2);
    }
    onStep.accept(step);
    return true;
  }

  private static void rest(long stepStart) throws InterruptedException {
    long took = System.nanoTime() - stepStart;
    TimeUnit.NANOSECONDS.sleep(Math.max(MIN_REST_NANOS, Math.min(took, MAX_REST_NANOS)));
  }

  private Step deleteSome(Connection c) throws SQLException {
    long start = System.nanoTime();
    long id;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT stream_id FROM purge ORDER BY stream_id LIMIT 1")) {
      if (!rs.next()) {
        return null;
      }
      id = rs.getLong(1);
    }
    // The offsets to delete, highest first, and their sizes.
    long[] offsets = new long[rowBudget];
    long[] sizes = new long[rowBudget];
    long bytes = 0;
    int rows = 0;
    // length() of a BLOB reads the record's header only, never its overflow pages. From the top
    // down: a record with overflow pages just below the stream (a 10 MB value of the stream with
    // the next lower id) can be a divider key of the b-tree, and SQLite reads a divider's whole
    // payload to compare a key with it; seeks at the bottom of the stream, one per deleted row,
    // cost ~1.7 ms each there, and only the last rows pay that when deleting downwards.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT ofs, length(value) + ifnull(length(key), 0) FROM records"
                + " WHERE stream_id = ? ORDER BY ofs DESC LIMIT ?")) {
      ps.setLong(1, id);
      ps.setInt(2, rowBudget);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long size = rs.getLong(2);
          if (rows > 0 && bytes + size > MAX_BYTES) {
            break;
          }
          offsets[rows] = rs.getLong(1);
          sizes[rows] = size;
          bytes += size;
          rows++;
        }
      }
    }
    if (rows == 0) {
      for (String table : new String[] {"windows", "groups", "purge"}) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM " + table + " WHERE stream_id = ?")) {
          ps.setLong(1, id);
          ps.executeUpdate();
        }
      }
      return new Step(id, 0, 0, System.nanoTime() - start);
    }
    // In chunks that start at one row and grow while rows are cheap, so that a step that reaches
    // expensive rows (above) stops within about the target instead of after the whole budget.
    int deleted = 0;
    long deletedBytes = 0;
    int chunk = 1;
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM records WHERE stream_id = ? AND ofs BETWEEN ? AND ?")) {
      ps.setLong(1, id);
      while (deleted < rows) {
        int end = Math.min(rows, deleted + chunk);
        long chunkStart = System.nanoTime();
        ps.setLong(2, offsets[end - 1]);
        ps.setLong(3, offsets[deleted]);
        ps.executeUpdate();
        long now = System.nanoTime();
        for (int k = deleted; k < end; k++) {
          deletedBytes += sizes[k];
        }
        long perRow = Math.max(1, (now - chunkStart) / (end - deleted));
        deleted = end;
        long left = TARGET_NANOS - (now - start);
        if (left <= 0) {
          break;
        }
        chunk = (int) Math.max(1, Math.min(chunk * 2L, left / perRow));
      }
    }
    return new Step(id, deleted, deletedBytes, System.nanoTime() - start);
  }

  /** Gives up to a page budget of free pages back to the file system; false when none is left. */
  private boolean vacuumStep() throws InterruptedException {
    long start = System.nanoTime();
    long[] freed = writes.write(this::vacuumSome);
    rest(start);
    if (freed[0] > TARGET_NANOS) {
      pageBudget = Math.max(16, pageBudget / 2);
    } else if (freed[0] < TARGET_NANOS / 2) {
      pageBudget = Math.min(MAX_PAGES, pageBudget * 2);
    }
    // Stop when nothing was freed too: a store without incremental auto-vacuum frees nothing.
    return freed[1] > 0 && freed[2] > 0;
  }

  /** Returns {nanos, pages freed, pages still free}. */
  private long[] vacuumSome(Connection c) throws SQLException {
    long start = System.nanoTime();
    long before = freePages(c);
    if (before == 0) {
      return new long[] {0, 0, 0};
    }
    try (Statement s = c.createStatement()) {
      // Each step of this statement frees one page; sqlite-jdbc's execute() would take one step
      // only, executeUpdate(String) runs it to the end (sqlite3_exec).
      s.executeUpdate("PRAGMA incremental_vacuum(" + pageBudget + ")");
    }
    long after = freePages(c);
    return new long[] {System.nanoTime() - start, before - after, after};
  }

  private static long freePages(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
