package dev.sluice.internal.sqlite;

import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.SluiceException;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import dev.sluice.StreamMetadata;
import dev.sluice.SyncMode;
import dev.sluice.internal.base.Partitions;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Entry;
import dev.sluice.spi.Scheduler;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.ConsumerWorkException;
import dev.sluice.spi.consumer.Wakeups;
import java.io.IOException;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The embedded store: one SQLite database ({@code sluice.db}, WAL) in a directory, shared by every
 * process that opens the directory.
 *
 * <p>Writes go through the {@link Writer} thread; reads use a small pool of connections and never
 * block writers. Dropped streams' records are purged in the background in bounded batches.
 */
final class SqliteBackend implements StoreBackend {
  private static final Set<Capability> CAPABILITIES =
      Collections.unmodifiableSet(
          EnumSet.of(
              Capability.CONSUMER_ENGINE,
              Capability.SQL_TRANSACTIONS,
              Capability.RETENTION_UNTIL_CONSUMED,
              Capability.CLEAR));
  private static final Logger LOG = dev.sluice.internal.log.Logs.get(SqliteBackend.class);
  static final String DB_FILE = "sluice.db";
  private static final long WAL_SIZE_LIMIT = 64L << 20;
  private static final String PROCS_DIR = "procs";
  private static final long[] AFTER_CHANGE_MILLIS = {1, 2, 4, 8, 16, 32, 64};
  private static final Duration COMPANY_LOOK = Duration.ofSeconds(1);

  private final String url;
  private final Path dir;
  private final Clock clock;
  private final WriteLock lock;
  private final Connection writerConnection;
  private final Writer writer;
  private final ReaderPool readers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Purger purger;
  private final Wakeups wakeups = new Wakeups();
  private final Scheduler scheduler;
  private final SqliteTables tables = new SqliteTables();
  private final Processes processes;
  private final Thread poller;
  private final Thread checkpointer;
  private final boolean readOnly;

  private SqliteBackend(Path dir, StoreOptions options, WriteLock lock, Connection writerConnection)
      throws SQLException {
    this.url = "sqlite:" + dir;
    this.dir = dir;
    this.clock = options.clock();
    this.scheduler = options.scheduler();
    this.lock = lock;
    this.writerConnection = writerConnection;
    this.readOnly = options.readOnly();
    this.readers = new ReaderPool(dir.resolve(DB_FILE), readOnly);
    // read-only: no lock file, no writer, no background work, nothing written to the directory
    this.processes = readOnly ? null : new Processes(dir.resolve(PROCS_DIR));
    this.purger = readOnly ? null : new Purger(url, this::writeSql);
    this.writer =
        readOnly
            ? null
            : new Writer(writerConnection, lock, clock, dir.getFileName() + "", wakeups::bump);
    this.poller =
        readOnly
            ? null
            : new Thread(this::pollDataVersion, "sluice-sqlite-poller-" + dir.getFileName());
    this.checkpointer =
        readOnly
            ? null
            : new Thread(this::checkpoint, "sluice-sqlite-checkpointer-" + dir.getFileName());
    if (!readOnly) {
      poller.setDaemon(true);
      poller.start();
      checkpointer.setDaemon(true);
      checkpointer.start();
    }
  }

  /** Opens an existing store for reading only: creates and writes nothing. */
  private static SqliteBackend openReadOnly(Path dir, StoreOptions options) {
    Path db = dir.resolve(DB_FILE);
    if (!Files.isRegularFile(db)) {
      throw new StoreException(
          "no store at "
              + dir
              + (Files.isDirectory(dir) ? " (no " + DB_FILE + " in it)" : "")
              + "; check the store URL, or append to a stream to create the store");
    }
    Connection c = null;
    try {
      c = ReaderPool.connectReadOnly(db);
      Schema.check(c, db);
      return new SqliteBackend(dir, options, null, c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw translate(db, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Opens (creating if needed) the store in a directory. */
  static SqliteBackend open(Path dir, StoreOptions options) {
    if (options.readOnly()) {
      return openReadOnly(dir, options);
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(
          "cannot open store at " + dir + ": " + e.getFile() + " exists and is not a directory", e);
    } catch (IOException e) {
      throw new StoreException("cannot create store directory " + dir + ": " + e, e);
    }
    if (!Files.isDirectory(dir)) {
      throw new StoreException("cannot open store at " + dir + ": not a directory");
    }
    Path db = dir.resolve(DB_FILE);
    WriteLock lock = new WriteLock(dir.resolve("write.lock"));
    Connection c = null;
    SqliteBackend backend;
    FileLock held = lock.acquire();
    try {
      c = connect(db);
      Schema.createOrCheck(c, db);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous = " + (options.sync() == SyncMode.FULL ? "FULL" : "NORMAL"));
        // SQLite checkpoints the WAL every 1,000 pages as this connection commits; this caps the
        // file's size on disk after each checkpoint, so a burst does not leave a huge WAL behind.
        s.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
      }
      backend = new SqliteBackend(dir, options, lock, c);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      lock.close();
      if (e instanceof SluiceException se) {
        throw se;
      }
      if (e instanceof SQLException sql) {
        throw translate(db, sql);
      }
      throw new StoreException("cannot open the store database " + db + ": " + e, e);
    } finally {
      try {
        lock.release(held);
      } catch (IOException e) {
        LOG.warn("cannot release the write lock of {}", dir, e);
      }
    }
    LOG.info("Sluice store opened at {} (sync {})", dir, options.sync());
    // Only after the lock is released: the purger writes through the writer thread, which takes it.
    if (backend.purgeQueued()) {
      backend.purger.request();
    }
    return backend;
  }

  static Connection connect(Path db) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    // Otherwise sqlite-jdbc runs "SELECT last_insert_rowid()" after every insert.
    props.setProperty("jdbc.get_generated_keys", "false");
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, props);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
    }
    return c;
  }

  private static StoreException translate(Path db, SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (e.getErrorCode() == 26 || message.contains("SQLITE_NOTADB")) {
      return new StoreException(db + " is not a SQLite database, so not a Sluice store", e);
    }
    if (message.contains("SQLITE_CANTOPEN") || message.contains("SQLITE_READONLY")) {
      return new StoreException("cannot write the store database " + db + ": " + message, e);
    }
    return new StoreException("cannot open the store database " + db + ": " + message, e);
  }

  Processes processes() {
    return processes;
  }

  Purger purger() {
    return purger;
  }

  /**
   * Whether dropped streams' records or free pages wait for the purger (left by an earlier run).
   */
  private boolean purgeQueued() {
    return readers.with(
        r -> {
          try (ResultSet rs =
              r.prepare(
                      "SELECT EXISTS(SELECT 1 FROM purge)"
                          + " OR (SELECT freelist_count FROM pragma_freelist_count) > 0")
                  .executeQuery()) {
            return rs.next() && rs.getBoolean(1);
          }
        });
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public CompletableFuture<Long> append(String stream, List<Entry> entries) {
    ensureWritable();
    return writer.appendAsync(stream, entries);
  }

  @Override
  public long appendAndWait(String stream, List<Entry> entries) {
    ensureWritable();
    return writer.append(stream, entries);
  }

  @Override
  public StreamMetadata create(String stream) {
    return writeSql(
        c -> {
          Optional<StreamMetadata> existing = metadata(c, stream);
          if (existing.isPresent()) {
            return existing.get();
          }
          Writer.insertStream(c, stream, clock.millis(), Retention.forever().toString());
          return metadata(c, stream).orElseThrow();
        });
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public List<Record<byte[]>> read(String stream, int partition, long fromOffset, int max) {
    ensureOpen();
    Partitions.checkSingle(url, stream, partition);
    return readers.with(
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT r.ofs, r.ts, r.key, r.value FROM streams s JOIN records r"
                      + " ON r.stream_id = s.id WHERE s.name = ? AND r.ofs >= max(?, s.first_offset)"
                      + " ORDER BY r.ofs LIMIT ?");
          ps.setString(1, stream);
          ps.setLong(2, fromOffset);
          ps.setInt(3, max);
          List<Record<byte[]>> out = new ArrayList<>(Math.min(max, 1024));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Record<>(
                      stream,
                      0,
                      rs.getLong(1),
                      Instant.ofEpochMilli(rs.getLong(2)),
                      rs.getString(3),
                      rs.getBytes(4)));
            }
          }
          return out;
        });
  }

  @Override
  public List<String> streams() {
    ensureOpen();
    return readers.with(
        c -> {
          List<String> names = new ArrayList<>();
          try (ResultSet rs = c.prepare("SELECT name FROM streams ORDER BY name").executeQuery()) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          return names;
        });
  }

  @Override
  public Optional<StreamMetadata> metadata(String stream) {
    ensureOpen();
    return readers.with(c -> metadata(c.connection(), stream));
  }

  private static Optional<StreamMetadata> metadata(Connection c, String stream)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT incarnation, created, first_offset, next_offset, last_append, retention"
                + " FROM streams WHERE name = ?")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long lastAppend = rs.getLong(5);
        boolean neverAppended = rs.wasNull();
        long first = rs.getLong(3);
        long next = rs.getLong(4);
        return Optional.of(
            new StreamMetadata(
                stream,
                rs.getString(1),
                Instant.ofEpochMilli(rs.getLong(2)),
                next - first,
                first,
                next,
                neverAppended ? null : Instant.ofEpochMilli(lastAppend),
                Retention.parse(rs.getString(6))));
      }
    }
  }

  @Override
  public boolean drop(String stream) {
    boolean dropped = writeSql(c -> dropRow(c, stream) != null);
    if (dropped) {
      purger.request();
    }
    return dropped;
  }

  @Override
  public void clear(String stream) {
    writeSql(
        c -> {
          String retention = dropRow(c, stream);
          Writer.insertStream(
              c,
              stream,
              clock.millis(),
              retention == null ? Retention.forever().toString() : retention);
          return null;
        });
    purger.request();
  }

  /** Deletes a stream's row and queues its records for purging; returns its retention. */
  private static String dropRow(Connection c, String stream) throws SQLException {
    long id;
    String retention;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, retention FROM streams WHERE name = ?")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        id = rs.getLong(1);
        retention = rs.getString(2);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM streams WHERE id = ?")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO purge(stream_id) VALUES (?)")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    return retention;
  }

  @Override
  public void retention(String stream, Retention retention) {
    writeSql(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE streams SET retention = ? WHERE name = ?")) {
            ps.setString(1, retention.toString());
            ps.setString(2, stream);
            if (ps.executeUpdate() == 0) {
              Writer.insertStream(c, stream, clock.millis(), retention.toString());
            }
          }
          return null;
        });
  }

  /** Runs work in the writer's transaction and waits for it to commit. */
  <T> T writeSql(Tx<T> work) {
    ensureWritable();
    try {
      return writer.write(work).join(); // already complete: Writer.write waits for the commit
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SluiceException se) {
        throw new StoreException(se.getMessage(), se);
      }
      throw new StoreException("write to " + url + " failed: " + cause, cause);
    }
  }

  private void ensureWritable() {
    ensureOpen();
    if (readOnly) {
      throw new StoreException("store " + url + " was opened read-only; it cannot be changed");
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new StoreException("store " + url + " is closed");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (readOnly) {
      readers.close();
      closeQuietly(writerConnection);
      return;
    }
    purger.close();
    writer.close();
    poller.interrupt();
    checkpointer.interrupt();
    try {
      poller.join(5_000);
      checkpointer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    readers.close();
    closeQuietly(writerConnection);
    processes.close();
    lock.close();
    LOG.info("Sluice store closed at {}", dir);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a connection: {}", e.getMessage());
      }
    }
  }

  // ---- consumer tables

  @Override
  public Optional<ConsumerTables> consumerTables() {
    return Optional.of(tables);
  }

  /** The consumer tables: reads on the reader pool, writes in the writer's transactions. */
  private final class SqliteTables implements ConsumerTables {
    @Override
    public String url() {
      return url;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public String processId() {
      if (processes == null) {
        throw new StoreException("store " + url + " was opened read-only; it cannot run consumers");
      }
      return processes.self();
    }

    @Override
    public boolean isAlive(String processId) {
      return processes == null || processes.isAlive(processId);
    }

    @Override
    public Wakeups wakeups() {
      return wakeups;
    }

    @Override
    public <T> T read(Work<T> work) {
      ensureOpen();
      return readers.with(
          r -> {
            r.prepare("BEGIN").execute();
            try {
              return work.apply(
                  new SqliteConsumerTx(url, r.connection(), r::prepare, null, clock.instant()));
            } catch (SQLException | RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new ConsumerWorkException(e);
            } finally {
              r.prepare("COMMIT").execute();
            }
          });
    }

    @Override
    public <T> T write(Work<T> work) {
      try {
        return writeSql(
            c -> {
              try {
                return work.apply(
                    new SqliteConsumerTx(
                        url, c, writer::prepare, writer::appendInTask, clock.instant()));
              } catch (Exception e) {
                throw new Carrier(e);
              }
            });
      } catch (StoreException e) {
        Carrier carried = findCarrier(e);
        if (carried == null) {
          throw e;
        }
        throw carried.unwrap();
      }
    }
  }

  /** Carries the work's own exception out through the writer's wrapping. */
  private static final class Carrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Carrier(Exception cause) {
      super(cause.toString(), cause, false, false);
    }

    RuntimeException unwrap() {
      return getCause() instanceof RuntimeException re
          ? re
          : new ConsumerWorkException((Exception) getCause());
    }
  }

  private static Carrier findCarrier(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Carrier c) {
        return c;
      }
    }
    return null;
  }

  /**
   * Wakes this process's waiting consumers when another process committed. Rests while no consumer
   * waits. Where the kernel notifies file changes ({@link FileChanges}), it looks at {@code PRAGMA
   * data_version} only after the store's files changed and another process has the store open: a
   * commit writes the WAL file before it publishes the new version in shared memory, so it looks
   * again 1, 2, 4 … 64 ms after a change, and once a second while another process is there, lest a
   * publication come later than that. Alone with the store, it waits for another process to arrive
   * with no time limit. Elsewhere it polls {@code data_version} about every 2 ms.
   */
  private void pollDataVersion() {
    FileChanges files = FileChanges.open(dir, dir.resolve(PROCS_DIR));
    if (files == null) {
      pollDataVersionEvery2Millis();
      return;
    }
    try {
      int[] tail = {AFTER_CHANGE_MILLIS.length};
      watchChanges(
          "change poller",
          () -> {
            wakeups.awaitWaiters();
            boolean company = processes.othersPresent();
            Optional<Duration> wait =
                !company
                    ? Optional.empty()
                    : Optional.of(
                        tail[0] < AFTER_CHANGE_MILLIS.length
                            ? Duration.ofMillis(AFTER_CHANGE_MILLIS[tail[0]])
                            : COMPANY_LOOK);
            FileChanges.Seen seen = files.await(wait);
            if (seen.procs()) {
              processes.forgetOthers();
              company = processes.othersPresent();
            }
            if (!company) {
              tail[0] = AFTER_CHANGE_MILLIS.length;
              return false; // our own commits wake our consumers directly
            }
            tail[0] = seen.store() ? 0 : Math.min(tail[0] + 1, AFTER_CHANGE_MILLIS.length);
            return true;
          },
          (statement, first) -> {
            if (!first) {
              wakeups.bump();
            }
          });
    } finally {
      files.close();
    }
  }

  /** {@link #pollDataVersion()} where file changes are not notified. */
  private void pollDataVersionEvery2Millis() {
    watchChanges(
        "change poller",
        () -> {
          wakeups.awaitWaiters(Duration.ofSeconds(1));
          if (!wakeups.hasWaiters()) {
            return false;
          }
          if (!processes.othersPresent()) {
            // Alone with the store: this process's own commits wake its consumers directly.
            Thread.sleep(100);
            return false;
          }
          Thread.sleep(2);
          return true;
        },
        (statement, first) -> {
          if (!first) {
            wakeups.bump();
          }
        });
  }

  /**
   * Checkpoints off the writers' path: a passive checkpoint (it never blocks writers or readers)
   * every 20 ms while the database changes. Otherwise the commit that fills the WAL to 1,000 pages
   * checkpoints inside the writer — copying pages and syncing the database file, milliseconds that
   * every append and window commit queued behind it waits. SQLite's automatic checkpoint stays on
   * as the bound when bulk writes outrun this thread.
   */
  private void checkpoint() {
    long[] seen = {wakeups.version()};
    watchChanges(
        "checkpointer",
        () -> {
          // this process's commits bump the wake-ups (so do others' while our consumers wait)
          seen[0] = wakeups.awaitChange(seen[0]);
          Thread.sleep(20);
          return true;
        },
        (statement, first) -> statement.execute("PRAGMA wal_checkpoint(PASSIVE)"));
  }

  /** Waits until it is time to look at the database again; false to skip this turn. */
  @FunctionalInterface
  private interface Pause {
    boolean next() throws InterruptedException;
  }

  /** What to do when {@code PRAGMA data_version} moved (or is first read). */
  @FunctionalInterface
  private interface OnChange {
    void changed(Statement statement, boolean first) throws SQLException;
  }

  /**
   * Runs a watcher thread's loop on a connection of its own until the store closes. A failure (a
   * full disk fails checkpoints) is logged once; the watcher reconnects every second until it works
   * again, and then treats the database as changed.
   */
  private void watchChanges(String role, Pause pause, OnChange onChange) {
    boolean failing = false;
    while (!closed.get()) {
      try (Connection c = connect(dir.resolve(DB_FILE));
          Statement s = c.createStatement()) {
        long seen = -1;
        while (!closed.get()) {
          if (!pause.next()) {
            continue;
          }
          long version;
          try (ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            rs.next();
            version = rs.getLong(1);
          }
          if (version != seen) {
            onChange.changed(s, seen < 0 && !failing);
            seen = version;
          }
          if (failing) {
            LOG.info("the {} of {} works again", role, url);
            failing = false;
          }
        }
      } catch (InterruptedException e) {
        return; // closing
      } catch (SQLException e) {
        if (closed.get()) {
          return;
        }
        if (!failing) {
          LOG.warn("the {} of {} failed; retrying every second", role, url, e);
          failing = true;
        }
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }
}
