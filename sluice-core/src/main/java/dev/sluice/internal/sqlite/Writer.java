package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import dev.sluice.spi.Entry;
import java.nio.channels.FileLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread: group-commits appends and other write work.
 *
 * <p>It takes every task queued, up to {@link #MAX_RECORDS} records, and runs them in one short
 * {@code BEGIN IMMEDIATE} transaction under the OS write lock, so sixteen threads appending one
 * record each cost about one commit. Stream state (next offset, timestamp floor) is read inside
 * every transaction, never cached across them, because other processes write too. Offsets follow
 * queue order, so each thread's appends keep their order.
 */
final class Writer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
  static final int MAX_RECORDS = 10_000;

  private final Connection c;
  private final WriteLock lock;
  private final Clock clock;
  private final Consumer<List<String>> onCommit;
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final PreparedStatement insertRecord;
  private final PreparedStatement selectStream;
  private final PreparedStatement updateStream;
  private final Thread thread;
  private volatile boolean closing;

  Writer(Connection c, WriteLock lock, Clock clock, String name, Consumer<List<String>> onCommit)
      throws SQLException {
    this.c = c;
    this.lock = lock;
    this.clock = clock;
    this.onCommit = onCommit;
    this.insertRecord =
        c.prepareStatement(
            "INSERT INTO records(stream_id, ofs, ts, key, value) VALUES (?,?,?,?,?)");
    this.selectStream =
        c.prepareStatement("SELECT id, next_offset, ts_floor FROM streams WHERE name = ?");
    this.updateStream =
        c.prepareStatement(
            "UPDATE streams SET next_offset = ?, ts_floor = ?, last_append = ? WHERE id = ?");
    this.thread = new Thread(this, "sluice-sqlite-writer-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an append; the future completes with the first offset after commit. */
  CompletableFuture<Long> append(String stream, List<Entry> entries) {
    AppendTask task = new AppendTask(stream, entries);
    submit(task);
    return task.future;
  }

  /** Queues work to run inside a transaction (in a savepoint of its own). */
  <T> CompletableFuture<T> write(Tx<T> work) {
    TxTask<T> task = new TxTask<>(work);
    submit(task);
    return task.future;
  }

  private void submit(Task task) {
    if (closing) {
      throw new StoreException("store is closed");
    }
    queue.add(task);
    if (closing && queue.remove(task)) {
      throw new StoreException("store is closed");
    }
  }

  /** Finishes every queued task, then stops the thread. */
  void close() {
    closing = true;
    queue.add(Stop.STOP);
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

  @Override
  public void run() {
    List<Task> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      Task first;
      try {
        first = queue.take();
      } catch (InterruptedException e) {
        continue; // only close() stops the writer
      }
      int records = 0;
      for (Task t = first; t != null; t = records < MAX_RECORDS ? queue.poll() : null) {
        if (t == Stop.STOP) {
          stop = true;
          break;
        }
        batch.add(t);
        records += t.size();
      }
      if (!batch.isEmpty()) {
        execute(batch);
        batch.clear();
      }
    }
    for (Task t; (t = queue.poll()) != null; ) {
      t.fail(new StoreException("store is closed"));
    }
  }

  private void execute(List<Task> batch) {
    Map<String, StreamRow> rows = new HashMap<>();
    List<String> appended = new ArrayList<>();
    FileLock held = null;
    try {
      held = lock.acquire();
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
      }
      long now = clock.millis();
      boolean pendingInserts = false;
      for (Task task : batch) {
        if (task instanceof AppendTask a) {
          StreamRow row = rows.get(a.stream);
          if (row == null) {
            row = loadOrCreate(a.stream, now);
            rows.put(a.stream, row);
            appended.add(a.stream);
          }
          long ts = Math.max(now, row.tsFloor);
          a.firstOffset = row.nextOffset;
          for (Entry e : a.entries) {
            insertRecord.setLong(1, row.id);
            insertRecord.setLong(2, row.nextOffset++);
            insertRecord.setLong(3, ts);
            insertRecord.setString(4, e.key());
            insertRecord.setBytes(5, e.value());
            insertRecord.addBatch();
          }
          row.tsFloor = ts;
          row.lastAppend = ts;
          pendingInserts = true;
        } else {
          if (pendingInserts) {
            flush(rows);
            pendingInserts = false;
          }
          rows.clear(); // the work may change streams
          ((TxTask<?>) task).run(c);
        }
      }
      if (pendingInserts) {
        flush(rows);
      }
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    } catch (SQLException | RuntimeException e) {
      rollback();
      StoreException failure =
          e instanceof StoreException se ? se : new StoreException("write failed: " + e, e);
      LOG.error("sqlite write of {} tasks failed", batch.size(), e);
      for (Task t : batch) {
        t.fail(failure);
      }
      return;
    } finally {
      release(held);
    }
    for (Task t : batch) {
      t.complete();
    }
    if (!appended.isEmpty()) {
      onCommit.accept(appended);
    }
  }

  private void flush(Map<String, StreamRow> rows) throws SQLException {
    insertRecord.executeBatch();
    for (StreamRow row : rows.values()) {
      updateStream.setLong(1, row.nextOffset);
      updateStream.setLong(2, row.tsFloor);
      updateStream.setLong(3, row.lastAppend);
      updateStream.setLong(4, row.id);
      updateStream.executeUpdate();
    }
  }

  private StreamRow loadOrCreate(String stream, long now) throws SQLException {
    selectStream.setString(1, stream);
    try (ResultSet rs = selectStream.executeQuery()) {
      if (rs.next()) {
        return new StreamRow(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
    return new StreamRow(insertStream(c, stream, now, "forever"), 0, 0);
  }

  /** Creates a stream row; returns its id. */
  static long insertStream(Connection c, String stream, long now, String retention)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO streams(name, incarnation, created, retention) VALUES (?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, stream);
      ps.setString(2, UUID.randomUUID().toString());
      ps.setLong(3, now);
      ps.setString(4, retention);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private void rollback() {
    try {
      insertRecord.clearBatch();
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    } catch (SQLException e) {
      // No transaction was open, or SQLite already rolled it back.
      LOG.debug("rollback: {}", e.getMessage());
    }
  }

  private static void release(FileLock held) {
    if (held != null) {
      try {
        held.release();
      } catch (java.io.IOException e) {
        LOG.warn("cannot release the store's write lock", e);
      }
    }
  }

  private static final class StreamRow {
    final long id;
    long nextOffset;
    long tsFloor;
    long lastAppend;

    StreamRow(long id, long nextOffset, long tsFloor) {
      this.id = id;
      this.nextOffset = nextOffset;
      this.tsFloor = tsFloor;
    }
  }

  private interface Task {
    int size();

    void complete();

    void fail(Throwable failure);
  }

  private enum Stop implements Task {
    STOP;

    @Override
    public int size() {
      return 0;
    }

    @Override
    public void complete() {}

    @Override
    public void fail(Throwable failure) {}
  }

  private static final class AppendTask implements Task {
    final String stream;
    final List<Entry> entries;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long firstOffset;

    AppendTask(String stream, List<Entry> entries) {
      this.stream = stream;
      this.entries = entries;
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public void complete() {
      future.complete(firstOffset);
    }

    @Override
    public void fail(Throwable failure) {
      future.completeExceptionally(failure);
    }
  }

  private static final class TxTask<T> implements Task {
    final Tx<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T result;
    Throwable failure;

    TxTask(Tx<T> work) {
      this.work = work;
    }

    void run(Connection c) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute("SAVEPOINT work");
      }
      try {
        result = work.apply(c);
        try (Statement s = c.createStatement()) {
          s.execute("RELEASE work");
        }
      } catch (SQLException | RuntimeException e) {
        failure = e;
        try (Statement s = c.createStatement()) {
          s.execute("ROLLBACK TO work");
          s.execute("RELEASE work");
        }
      }
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public void complete() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }

    @Override
    public void fail(Throwable failure) {
      future.completeExceptionally(failure);
    }
  }
}
