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
  private final ArrayBlockingQueue<Reader> idle = new ArrayBlockingQueue<>(MAX);
  private final List<Reader> all = new ArrayList<>();
  private boolean closed;

  ReaderPool(Path db) {
    this.db = db;
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
          reader = new Reader(SqliteBackend.connect(db));
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
