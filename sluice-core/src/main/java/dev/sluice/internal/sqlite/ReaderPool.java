package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A small pool of read connections. In WAL mode readers see the last committed state and never
 * block the writer. Each connection keeps its prepared statements.
 */
final class ReaderPool {
  private static final int MAX = 8;

  private final Path db;
  private final boolean readOnly;
  private final ArrayBlockingQueue<Reader> idle = new ArrayBlockingQueue<>(MAX);
  private final List<Reader> all = new ArrayList<>();
  private boolean closed;

  ReaderPool(Path db, boolean readOnly) {
    this.db = db;
    this.readOnly = readOnly;
  }

  /**
   * A connection that cannot write. Where the directory is not writable and SQLite cannot use the
   * WAL index ({@code sluice.db-shm} is missing), the database is opened as immutable: a snapshot
   * of the main file, fine for a command that reads once.
   */
  static Connection connectReadOnly(Path db) throws SQLException {
    String uri = "jdbc:sqlite:" + db.toUri().toString().replaceFirst("^file:/+", "file:/");
    try {
      return readOnly(uri + "?mode=ro");
    } catch (SQLException e) {
      if (java.nio.file.Files.isWritable(db.getParent())) {
        throw e;
      }
      return readOnly(uri + "?mode=ro&immutable=1");
    }
  }

  private static Connection readOnly(String url) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    Connection c = java.sql.DriverManager.getConnection(url, props);
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.executeQuery("SELECT count(*) FROM sqlite_master").close(); // fails here without the index
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /** Work done with a pooled read connection. */
  @FunctionalInterface
  interface ReadWork<T> {
    T apply(Reader reader) throws SQLException;
  }

  <T> T with(ReadWork<T> work) {
    Reader reader = borrow();
    try {
      return work.apply(reader);
    } catch (SQLException e) {
      reader.statements.reset(); // the failed statement may be finalized
      throw new StoreException("read from " + db + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (Writer.causedBySql(e)) {
        reader.statements.reset();
      }
      throw e;
    } finally {
      idle.offer(reader);
    }
  }

  private Reader borrow() {
    Reader reader = idle.poll();
    if (reader != null) {
      return reader;
    }
    synchronized (this) {
      if (closed) {
        throw new StoreException("store " + db.getParent() + " is closed");
      }
      if (all.size() < MAX) {
        try {
          reader = new Reader(readOnly ? connectReadOnly(db) : SqliteBackend.connect(db));
        } catch (SQLException e) {
          throw new StoreException("cannot open a read connection to " + db + ": " + e, e);
        }
        all.add(reader);
        return reader;
      }
    }
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a read connection", e);
    }
  }

  synchronized void close() {
    closed = true;
    for (Reader r : all) {
      try {
        r.connection.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
    all.clear();
    idle.clear();
  }

  /** One read connection and its prepared statements. */
  static final class Reader {
    private final Connection connection;
    private final Statements statements;

    Reader(Connection connection) {
      this.connection = connection;
      this.statements = new Statements(connection);
    }

    Connection connection() {
      return connection;
    }

    PreparedStatement prepare(String sql) throws SQLException {
      return statements.prepare(sql);
    }
  }
}
