package dev.sluice;

import dev.sluice.internal.NdjsonSink;
import dev.sluice.internal.StoreSinks;
import dev.sluice.spi.Sink;
import dev.sluice.spi.TransactionalSink;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Built-in sinks for {@link Streaming.Results#sink}.
 *
 * <ul>
 *   <li>{@link #stream}: appends results to another stream of the same store;
 *   <li>{@link #table}: inserts results as rows of a table in the store's SQL database;
 *   <li>{@link #ndjson}: appends results as JSON lines to a file;
 *   <li>{@link #stdout}: prints results as JSON lines.
 * </ul>
 *
 * <p>The first two are {@link TransactionalSink}s: with {@code delivery(EXACTLY_ONCE)} their output
 * and the window's commit are one transaction. The others are at-least-once: a window whose commit
 * is lost after its output was written is written again when it is retried.
 */
public final class Sinks {
  private Sinks() {}

  /** Binds one result to an insert statement's parameters. */
  @FunctionalInterface
  public interface RowBinder<R> {
    /** Sets the statement's parameters from a result. */
    void bind(PreparedStatement insert, R value) throws SQLException;
  }

  /** Appends each result to {@code target}, a stream of the consumer's store for exactly-once. */
  public static <R> TransactionalSink<R> stream(EventStream<R> target) {
    return StoreSinks.stream(target);
  }

  /**
   * Inserts each result as a row of a table in the store's own SQL database — a store whose backend
   * has {@link dev.sluice.spi.Capability#SQL_TRANSACTIONS}, such as the embedded store ({@code
   * sluice.db}) — created by {@code createSql} (say {@code CREATE TABLE IF NOT EXISTS …}; may be
   * null) before the first insert.
   *
   * <pre>{@code
   * Sinks.table(store,
   *     "CREATE TABLE IF NOT EXISTS totals(day TEXT, total REAL)",
   *     "INSERT INTO totals(day, total) VALUES (?, ?)",
   *     (ps, t) -> { ps.setString(1, t.day()); ps.setDouble(2, t.total()); })
   * }</pre>
   *
   * @throws UnsupportedCapabilityException if the store is not kept in a SQL database
   */
  public static <R> TransactionalSink<R> table(
      Store store, String createSql, String insertSql, RowBinder<? super R> binder) {
    return StoreSinks.table(store, createSql, insertSql, binder);
  }

  /**
   * Appends each result as one line of JSON to {@code file}, created if absent. Each {@code write}
   * and {@code writeAll} returns only after its lines are forced to the disk ({@code
   * FileChannel.force}), so a committed window's output survives a crash. Thread-safe; closing the
   * sink closes the file.
   *
   * @throws SluiceException if the file cannot be opened for appending
   */
  public static Sink<Object> ndjson(Path file) {
    return NdjsonSink.file(java.util.Objects.requireNonNull(file, "file"));
  }

  /** Prints each result as one line of JSON to {@code System.out}, flushed. Thread-safe. */
  public static Sink<Object> stdout() {
    return NdjsonSink.stdout();
  }
}
