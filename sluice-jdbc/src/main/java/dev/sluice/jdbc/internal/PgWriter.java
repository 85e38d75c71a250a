package dev.sluice.jdbc.internal;

import dev.sluice.StoreException;
import dev.sluice.spi.Entry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group-commits a process's appends to the PostgreSQL store: one writer thread takes everything
 * queued (up to {@link #MAX_RECORDS} records) and writes it in one transaction.
 *
 * <p><b>Offsets become visible in offset order.</b> The transaction locks the row of every stream
 * it appends to ({@code SELECT … FOR UPDATE}, in name order so two writers never deadlock), reads
 * the stream's next offset under the lock, inserts, advances it and commits. The next writer of
 * that stream, in any process on any machine, waits for the lock, so it assigns offsets only after
 * the previous transaction committed; and PostgreSQL makes a transaction visible to new snapshots
 * before it releases its locks. A reader therefore never sees offset n+1 while n is still invisible
 * — the trap of a sequence taken at insert and made visible at commit, which lets a tailing reader
 * skip a record for ever.
 *
 * <p>Every append transaction notifies the store's channel ({@code NOTIFY} is delivered at commit),
 * so consumers in other processes that {@code LISTEN} wake at once.
 *
 * <p><b>Failures.</b> A transaction that fails because its connection broke (the server restarted,
 * an administrator ended the session) or because PostgreSQL chose it as a deadlock victim is run
 * again on a fresh connection, for up to {@link #RETRY_FOR_MILLIS}; nothing of it had been
 * committed. A connection lost during {@code COMMIT} leaves the outcome unknown, and the appends
 * fail with an error saying so rather than risk writing them twice.
 */
final class PgWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PgWriter.class);
  static final int MAX_RECORDS = 10_000;
  static final long RETRY_FOR_MILLIS = 30_000;

  /**
   * Appends to one stream in one statement: locks the stream's row, inserts the records at the
   * offsets read under the lock, and advances the stream. Returns nothing if the stream is absent.
   */
  private static final String APPEND =
      """
      WITH s AS (
        SELECT id, next_offset, greatest(?, ts_floor) AS ts FROM streams WHERE name = ? FOR UPDATE),
      ins AS (
        INSERT INTO records(stream_id, ofs, ts, key, value)
        SELECT s.id, s.next_offset + u.i - 1, s.ts, u.k, u.v
        FROM s, unnest(?::text[], ?::bytea[]) WITH ORDINALITY AS u(k, v, i)),
      upd AS (
        UPDATE streams SET next_offset = s.next_offset + ?, ts_floor = s.ts, last_append = s.ts
        FROM s WHERE streams.id = s.id)
      SELECT next_offset, pg_notify(?, '') FROM s""";

  private static final String CREATE_STREAMS =
      "INSERT INTO streams(name, incarnation, created)"
          + " SELECT n, gen_random_uuid()::text, ? FROM unnest(?::text[]) AS u(n)"
          + " ORDER BY n ON CONFLICT (name) DO NOTHING";

  private final DataSource pool;
  private final Clock clock;
  private final String where;
  private final String channel;
  private final Runnable onCommit;
  private final ReentrantLock mutex = new ReentrantLock();
  private final Condition work = mutex.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private boolean closing;
  private final Thread thread;

  PgWriter(DataSource pool, Clock clock, String where, String channel, Runnable onCommit) {
    this.pool = pool;
    this.channel = channel;
    this.clock = clock;
    this.where = where;
    this.onCommit = onCommit;
    this.thread = new Thread(this::run, "sluice-pg-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an append; the future completes with the first offset once committed. */
  CompletableFuture<Long> append(String stream, List<Entry> entries) {
    Task task = new Task(stream, entries);
    mutex.lock();
    try {
      if (closing) {
        throw new StoreException("store " + where + " is closed");
      }
      queue.add(task);
      work.signal();
    } finally {
      mutex.unlock();
    }
    return task.future;
  }

  /** Finishes every queued append, then stops the writer thread. */
  void close() {
    mutex.lock();
    try {
      closing = true;
      work.signal();
    } finally {
      mutex.unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      List<Task> batch = new ArrayList<>();
      mutex.lock();
      try {
        while (queue.isEmpty() && !closing) {
          work.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        int records = 0;
        while (!queue.isEmpty()
            && (batch.isEmpty() || records + queue.peekFirst().entries.size() <= MAX_RECORDS)) {
          Task t = queue.pollFirst();
          batch.add(t);
          records += t.entries.size();
        }
      } finally {
        mutex.unlock();
      }
      execute(batch);
    }
  }

  /** Commits a batch, retrying what is safe to retry; completes every task's future. */
  private void execute(List<Task> batch) {
    long deadline = System.nanoTime() + RETRY_FOR_MILLIS * 1_000_000;
    long backoff = 50;
    while (true) {
      Attempt attempt = new Attempt();
      try {
        write(batch, attempt);
        break;
      } catch (SQLException e) {
        boolean retriable = !attempt.committing && PgErrors.isRetriable(e);
        if (retriable && System.nanoTime() < deadline && !closingNow()) {
          LOG.warn(
              "append to {} failed ({}: {}); retrying on a new connection",
              where,
              e.getSQLState(),
              e.getMessage());
          sleep(backoff);
          backoff = Math.min(1_000, backoff * 2);
          continue;
        }
        StoreException failure =
            attempt.committing && PgErrors.isConnectionLoss(e)
                ? new StoreException(
                    "append to "
                        + where
                        + " failed: the connection was lost during COMMIT, so whether the"
                        + " records were written is unknown; read the stream to find out: "
                        + e.getMessage(),
                    e)
                : new StoreException("append to " + where + " failed: " + e.getMessage(), e);
        for (Task t : batch) {
          t.future.completeExceptionally(failure);
        }
        return;
      } catch (RuntimeException e) {
        StoreException failure =
            new StoreException("append to " + where + " failed: " + e.getMessage(), e);
        for (Task t : batch) {
          t.future.completeExceptionally(failure);
        }
        return;
      }
    }
    onCommit.run();
    for (Task t : batch) {
      t.future.complete(t.firstOffset);
    }
  }

  private boolean closingNow() {
    mutex.lock();
    try {
      return closing;
    } finally {
      mutex.unlock();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Attempt {
    boolean committing;
  }

  private void write(List<Task> batch, Attempt attempt) throws SQLException {
    Map<String, List<Task>> byStream = new TreeMap<>();
    for (Task t : batch) {
      byStream.computeIfAbsent(t.stream, k -> new ArrayList<>()).add(t);
    }
    try (Connection c = pool.getConnection()) {
      for (int round = 0; ; round++) {
        long now = clock.millis();
        List<String> missing = new ArrayList<>();
        c.setAutoCommit(false);
        try {
          // In name order, so two transactions appending to the same streams never deadlock.
          for (Map.Entry<String, List<Task>> e : byStream.entrySet()) {
            if (!append(c, e.getKey(), e.getValue(), now)) {
              missing.add(e.getKey());
            }
          }
          if (missing.isEmpty()) {
            attempt.committing = true;
            c.commit();
            return;
          }
          c.rollback();
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
        if (round >= 100) {
          throw new SQLException(
              "streams " + missing + " were dropped 100 times during one append");
        }
        createStreams(c, missing, now);
      }
    }
  }

  /** Appends a stream's tasks; false if the stream does not exist. */
  private boolean append(Connection c, String stream, List<Task> tasks, long now)
      throws SQLException {
    List<Entry> entries;
    if (tasks.size() == 1) {
      entries = tasks.get(0).entries;
    } else {
      entries = new ArrayList<>();
      for (Task t : tasks) {
        entries.addAll(t.entries);
      }
    }
    long offset = appendEntries(c, stream, entries, now, channel);
    if (offset < 0) {
      return false;
    }
    for (Task t : tasks) {
      t.firstOffset = offset;
      offset += t.entries.size();
    }
    return true;
  }

  /**
   * Appends entries to a stream inside the connection's open transaction, locking the stream's row
   * until it ends, and queues a notification on {@code channel}; returns the first offset, or -1 if
   * the stream does not exist.
   */
  static long appendEntries(
      Connection c, String stream, List<Entry> entries, long now, String channel)
      throws SQLException {
    int count = entries.size();
    String[] keys = new String[count];
    byte[][] values = new byte[count][];
    for (int k = 0; k < count; k++) {
      Entry entry = entries.get(k);
      keys[k] = entry.key();
      values[k] = entry.value();
    }
    try (PreparedStatement ps = c.prepareStatement(APPEND)) {
      ps.setLong(1, now);
      ps.setString(2, stream);
      ps.setArray(3, c.createArrayOf("text", keys));
      ps.setArray(4, c.createArrayOf("bytea", values));
      ps.setLong(5, count);
      ps.setString(6, channel);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** Creates streams in a transaction of their own, so no lock is held meanwhile. */
  static void createStreams(Connection c, List<String> names, long now) throws SQLException {
    c.setAutoCommit(true);
    createStreamsInTx(c, names, now);
  }

  /** Creates streams in the connection's current transaction. */
  static void createStreamsInTx(Connection c, List<String> names, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CREATE_STREAMS)) {
      ps.setLong(1, now);
      ps.setArray(2, c.createArrayOf("text", names.toArray(String[]::new)));
      ps.executeUpdate();
    }
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback: {}", e.getMessage());
    }
  }

  private static final class Task {
    final String stream;
    final List<Entry> entries;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long firstOffset;

    Task(String stream, List<Entry> entries) {
      this.stream = stream;
      this.entries = entries;
    }
  }
}
