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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group-commits the store's writes: appends and other write work, from every thread of the process,
 * in short {@code BEGIN IMMEDIATE} transactions under the OS write lock.
 *
 * <p>Writers queue in one deque, and the callers commit for each other (leader/follower group
 * commit): a synchronous writer that finds nobody committing leads — it takes everything queued (up
 * to {@link #MAX_RECORDS} records), commits it in one transaction on its own thread and marks every
 * task in it done — while the writers that queue meanwhile wait; when the commit is done, the first
 * of them leads the next batch. So a lone {@code append} costs no thread handoff, and sixteen
 * threads appending one record each cost one commit per sixteen records and no handoff to a writer
 * thread and back. (Waiting for a dedicated writer thread made every record pay a wake of that
 * thread: 1.3 records per commit with sixteen threads on two cores.) Before it commits, a leader
 * lets the callers served by the last batch queue again ({@link #gather}). The background thread
 * leads only {@code appendAsync} work, which has no waiting caller. Offsets follow queue order, so
 * each thread's appends keep their order. Stream state (next offset, timestamp floor) is read
 * inside every transaction, never cached across them, because other processes write too.
 */
final class Writer {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
  static final int MAX_RECORDS = 10_000;
  private static final long MAX_GATHER_NANOS = 1_000_000;

  private static final String INSERT_RECORD =
      "INSERT INTO records(stream_id, ofs, ts, key, value) VALUES (?,?,?,?,?)";
  private static final String SELECT_STREAM =
      "SELECT id, next_offset, ts_floor FROM streams WHERE name = ?";
  private static final String UPDATE_STREAM =
      "UPDATE streams SET next_offset = ?, ts_floor = ?, last_append = ? WHERE id = ?";

  private final Connection c;
  private final WriteLock lock;
  private final Clock clock;
  private final Statements statements;

  private final ReentrantLock mutex = new ReentrantLock();
  private final Condition asyncWork = mutex.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private boolean leading;

  /** Synchronous callers whose work is queued or being committed. */
  private int waiting;

  /** Synchronous callers the next batch should hold, from the last batches. */
  private int expected;

  private long lastCommitNanos;
  private boolean closing;
  private final Thread background;
  private final Runnable onCommit;

  Writer(Connection c, WriteLock lock, Clock clock, String name, Runnable onCommit) {
    this.c = c;
    this.onCommit = onCommit;
    this.lock = lock;
    this.clock = clock;
    this.statements = new Statements(c);
    this.background = new Thread(this::runBackground, "sluice-sqlite-writer-" + name);
    background.setDaemon(true);
    background.start();
  }

  /** Queues an append without waiting; the future completes with the first offset after commit. */
  CompletableFuture<Long> appendAsync(String stream, List<Entry> entries) {
    AppendTask task = new AppendTask(stream, entries, null);
    mutex.lock();
    try {
      checkOpen();
      queue.add(task);
      if (!leading && queue.peekFirst() == task) {
        asyncWork.signal();
      }
    } finally {
      mutex.unlock();
    }
    return task.future;
  }

  /** Appends and waits for the commit; returns the first offset. */
  long append(String stream, List<Entry> entries) {
    AppendTask task = new AppendTask(stream, entries, Thread.currentThread());
    runAndWait(task);
    if (task.failure != null) {
      // A new exception, so the caller's own stack shows beside the leader's.
      throw new StoreException(task.failure.getMessage(), task.failure);
    }
    return task.firstOffset;
  }

  /** Runs work inside a transaction (in a savepoint of its own) and waits for the commit. */
  <T> CompletableFuture<T> write(Tx<T> work) {
    TxTask<T> task = new TxTask<>(work, Thread.currentThread());
    runAndWait(task);
    return task.future;
  }

  private void runAndWait(Task task) {
    boolean interrupted = false;
    mutex.lock();
    try {
      checkOpen();
      queue.add(task);
      waiting++;
      // The first waiting caller commits everything queued; the others wait for it, and one of them
      // leads the next batch when it is done.
      while (!task.done) {
        if (!leading) {
          lead(true);
          continue;
        }
        mutex.unlock();
        do {
          LockSupport.park(this);
          // An interrupt cannot cancel a queued write; keep it for the caller.
          interrupted |= Thread.interrupted();
        } while (!task.done && !task.lead);
        mutex.lock();
        task.lead = false;
      }
    } finally {
      mutex.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * With the mutex held and no other leader: takes the queue's head, commits it, marks it done,
   * wakes its waiters and hands the lead on. Returns with the mutex held.
   */
  private void lead(boolean gather) {
    leading = true;
    if (gather) {
      gather();
    }
    List<Task> batch = new ArrayList<>();
    int records = 0;
    int callers = 0;
    while (!queue.isEmpty()
        && (batch.isEmpty() || records + queue.peekFirst().size() <= MAX_RECORDS)) {
      Task t = queue.pollFirst();
      batch.add(t);
      records += t.size();
      if (t.waiter != null) {
        callers++;
      }
    }
    // How many callers to expect in the next batch: those served now, falling by one per batch
    // when fewer come back.
    expected = Math.max(callers, expected - 1);
    long start = System.nanoTime();
    mutex.unlock();
    try {
      execute(batch);
    } finally {
      lastCommitNanos = System.nanoTime() - start;
      mutex.lock();
      Task next;
      try {
        leading = false;
        waiting -= callers;
        next = queue.peekFirst();
        if (next != null && next.waiter != null && !closing) {
          next.lead = true; // a waiting caller leads the next batch
        } else {
          if (next != null || closing) {
            asyncWork.signal(); // appendAsync work, or a closing writer waiting for the last leader
          }
          next = null;
        }
      } finally {
        mutex.unlock();
      }
      // Woken outside the mutex: a served caller returns without taking it.
      if (next != null) {
        LockSupport.unpark(next.waiter);
      }
      Thread self = Thread.currentThread();
      for (Task t : batch) {
        t.done = true;
        if (t.waiter != null && t.waiter != self) {
          LockSupport.unpark(t.waiter);
        }
      }
      mutex.lock();
    }
  }

  /**
   * Before committing, lets the callers just served by the last commit queue their next records: on
   * a busy machine a woken thread needs a moment of CPU to do so, and a commit of one record costs
   * about as much as a commit of sixteen. Yields while fewer callers wait than the last batch
   * served, for at most as long as the last commit took.
   */
  private void gather() {
    if (waiting >= expected || expected <= 1) {
      return;
    }
    long deadline = System.nanoTime() + Math.min(lastCommitNanos, MAX_GATHER_NANOS);
    while (waiting < expected && System.nanoTime() < deadline) {
      mutex.unlock();
      Thread.yield();
      mutex.lock();
    }
  }

  private void runBackground() {
    mutex.lock();
    try {
      while (true) {
        Task front = queue.peekFirst();
        if (!leading && front != null) {
          lead(true);
        } else if (closing && front == null && !leading) {
          return;
        } else {
          asyncWork.awaitUninterruptibly();
        }
      }
    } finally {
      mutex.unlock();
    }
  }

  private void checkOpen() {
    if (closing) {
      throw new StoreException("store is closed");
    }
  }

  /** Finishes every queued task, then stops the background thread. */
  void close() {
    mutex.lock();
    try {
      closing = true;
      asyncWork.signal();
    } finally {
      mutex.unlock();
    }
    boolean interrupted = false;
    while (background.isAlive()) {
      try {
        background.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits a batch; completes every task's future. */
  private void execute(List<Task> batch) {
    Map<String, StreamRow> rows = new HashMap<>();
    FileLock held = null;
    try {
      held = lock.acquire();
      statements.prepare("BEGIN IMMEDIATE").execute();
      long now = clock.millis();
      boolean pendingInserts = false;
      for (Task task : batch) {
        if (task instanceof AppendTask a) {
          StreamRow row = rows.get(a.stream);
          if (row == null) {
            row = loadOrCreate(a.stream, now);
            rows.put(a.stream, row);
          }
          a.firstOffset = addInserts(row, a.entries, now);
          pendingInserts = true;
        } else {
          if (pendingInserts) {
            flush(rows);
            pendingInserts = false;
          }
          rows.clear(); // the work may change streams
          TxTask<?> tx = (TxTask<?>) task;
          tx.run(c, statements);
          if (tx.failure != null && causedBySql(tx.failure)) {
            statements.reset();
          }
        }
      }
      if (pendingInserts) {
        flush(rows);
      }
      statements.prepare("COMMIT").execute();
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
    onCommit.run();
    for (Task t : batch) {
      t.complete();
    }
  }

  /**
   * Appends inside the transaction of the task being run (a dead letter, a transactional sink's
   * output), as a batch of appends does; returns the first offset. Only for {@link Tx} work.
   */
  long appendInTask(String stream, List<Entry> entries, long now) throws SQLException {
    StreamRow row = loadOrCreate(stream, now);
    long first = addInserts(row, entries, now);
    flush(Map.of(stream, row));
    return first;
  }

  /**
   * A statement of the writer's connection, prepared once (and again after a failed write). Only
   * inside writer transactions, which run one at a time.
   */
  PreparedStatement prepare(String sql) throws SQLException {
    return statements.prepare(sql);
  }

  /** Whether an SQLException is among a failure's causes. */
  static boolean causedBySql(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return true;
      }
    }
    return false;
  }

  /** Adds a stream's records to the insert batch, stamped {@code max(now, floor)}. */
  private long addInserts(StreamRow row, List<Entry> entries, long now) throws SQLException {
    PreparedStatement insertRecord = statements.prepare(INSERT_RECORD);
    long ts = Math.max(now, row.tsFloor);
    long first = row.nextOffset;
    for (Entry e : entries) {
      insertRecord.setLong(1, row.id);
      insertRecord.setLong(2, row.nextOffset++);
      insertRecord.setLong(3, ts);
      insertRecord.setString(4, e.key());
      insertRecord.setBytes(5, e.value());
      insertRecord.addBatch();
    }
    row.tsFloor = ts;
    row.lastAppend = ts;
    return first;
  }

  private void flush(Map<String, StreamRow> rows) throws SQLException {
    statements.prepare(INSERT_RECORD).executeBatch();
    PreparedStatement updateStream = statements.prepare(UPDATE_STREAM);
    for (StreamRow row : rows.values()) {
      updateStream.setLong(1, row.nextOffset);
      updateStream.setLong(2, row.tsFloor);
      updateStream.setLong(3, row.lastAppend);
      updateStream.setLong(4, row.id);
      updateStream.executeUpdate();
    }
  }

  private StreamRow loadOrCreate(String stream, long now) throws SQLException {
    PreparedStatement selectStream = statements.prepare(SELECT_STREAM);
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
            "INSERT INTO streams(name, incarnation, created, retention) VALUES (?, ?, ?, ?)"
                + " RETURNING id")) {
      ps.setString(1, stream);
      ps.setString(2, UUID.randomUUID().toString());
      ps.setLong(3, now);
      ps.setString(4, retention);
      try (ResultSet keys = ps.executeQuery()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Rolls the failed transaction back (a failed COMMIT leaves it open) and prepares every statement
   * afresh: the one that failed may be finalized, and a batch of inserts may be pending.
   */
  private void rollback() {
    statements.reset();
    try {
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
    } catch (SQLException e) {
      // No transaction was open, or SQLite already rolled it back.
      LOG.debug("rollback: {}", e.getMessage());
    }
  }

  private void release(FileLock held) {
    if (held != null) {
      try {
        lock.release(held);
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

  /** A queued write. */
  private abstract static class Task {
    final Thread waiter;

    /** Set once committed (or failed); its waiter returns without the writer's mutex. */
    volatile boolean done;

    /** Set, under the writer's mutex, for a waiter that is to lead the next batch. */
    volatile boolean lead;

    Task(Thread waiter) {
      this.waiter = waiter;
    }

    abstract int size();

    abstract void complete();

    abstract void fail(StoreException failure);
  }

  private static final class AppendTask extends Task {
    final String stream;
    final List<Entry> entries;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long firstOffset;
    StoreException failure;

    AppendTask(String stream, List<Entry> entries, Thread waiter) {
      super(waiter);
      this.stream = stream;
      this.entries = entries;
    }

    @Override
    int size() {
      return entries.size();
    }

    @Override
    void complete() {
      future.complete(firstOffset);
    }

    @Override
    void fail(StoreException failure) {
      this.failure = failure;
      future.completeExceptionally(failure);
    }
  }

  private static final class TxTask<T> extends Task {
    final Tx<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T result;
    Throwable failure;

    TxTask(Tx<T> work, Thread waiter) {
      super(waiter);
      this.work = work;
    }

    void run(Connection c, Statements statements) throws SQLException {
      statements.prepare("SAVEPOINT work").execute();
      try {
        result = work.apply(c);
        statements.prepare("RELEASE work").execute();
      } catch (SQLException | RuntimeException e) {
        failure = e;
        statements.prepare("ROLLBACK TO work").execute();
        statements.prepare("RELEASE work").execute();
      }
    }

    @Override
    int size() {
      return 1;
    }

    @Override
    void complete() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else {
        future.complete(result);
      }
    }

    @Override
    void fail(StoreException failure) {
      future.completeExceptionally(failure);
    }
  }
}
