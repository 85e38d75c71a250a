package dev.sluice.jdbc;

import dev.sluice.Sinks;
import dev.sluice.Store;
import dev.sluice.StoreException;
import dev.sluice.spi.Sink;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Writes results as rows of a table of any JDBC database: one row per result (or, with {@link
 * #expand}, one row per element of a list result), inserted in batches.
 *
 * <pre>{@code
 * Sink<Order> sink = JdbcSink.<Order>into("orders", "id", "total")
 *     .binder((ps, o) -> { ps.setLong(1, o.id()); ps.setBigDecimal(2, o.total()); })
 *     .to(dataSource);                       // any database: at-least-once
 * TransactionalSink<Order> same = JdbcSink.<Order>into("orders", "id", "total")
 *     .binder(...)
 *     .toStore(store);                       // the store's own database: exactly-once possible
 * }</pre>
 *
 * <p><b>At-least-once</b> ({@link Builder#to}): each {@code writeAll} — a window's results — is one
 * transaction of the target database, committed before the consumer commits the window; a crash in
 * between writes the window again. Make the table's key absorb repeats (say {@code ON CONFLICT DO
 * NOTHING} with {@link Builder#insertSql}) if duplicates matter.
 *
 * <p><b>Exactly-once</b> ({@link Builder#toStore}): when the table lives in the consumer's own
 * store database (a store with SQL transactions: PostgreSQL, the embedded SQLite store), the rows
 * are inserted inside the transaction that commits the window, with {@code
 * delivery(Delivery.EXACTLY_ONCE)}.
 */
public final class JdbcSink {
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");
  private static final Pattern COLUMN = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

  private JdbcSink() {}

  /**
   * Starts a sink inserting into {@code table} (optionally {@code schema.table}) the {@code
   * columns}, bound in this order as parameters 1..n.
   *
   * @throws IllegalArgumentException if a name is not a plain SQL identifier
   */
  public static <T> Builder<T> into(String table, String... columns) {
    Objects.requireNonNull(table, "table");
    if (!NAME.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table name must match [A-Za-z_][A-Za-z0-9_$]* (optionally schema.table): \""
              + table
              + "\"");
    }
    if (columns.length == 0) {
      throw new IllegalArgumentException("a JDBC sink needs at least one column for " + table);
    }
    for (String c : columns) {
      if (c == null || !COLUMN.matcher(c).matches()) {
        throw new IllegalArgumentException(
            "column name must match [A-Za-z_][A-Za-z0-9_$]*: \"" + c + "\"");
      }
    }
    String sql =
        "INSERT INTO "
            + table
            + "("
            + String.join(", ", columns)
            + ") VALUES ("
            + "?, ".repeat(columns.length - 1)
            + "?)";
    return new Builder<>(sql);
  }

  /**
   * A sink for list results that writes each element as a row through {@code rows}: a window
   * function returning {@code List<Row>} then feeds a table with one row per element, in one
   * transaction per window as before.
   */
  public static <T> Sink<List<? extends T>> expand(Sink<T> rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows instanceof TransactionalSink<T> tx) {
      return expand(tx);
    }
    return new Expanding<>(rows);
  }

  /** As {@link #expand(Sink)}, keeping the sink transactional for exactly-once. */
  public static <T> TransactionalSink<List<? extends T>> expand(TransactionalSink<T> rows) {
    return new ExpandingTransactional<>(Objects.requireNonNull(rows, "rows"));
  }

  private static class Expanding<T> implements Sink<List<? extends T>> {
    final Sink<T> rows;

    Expanding(Sink<T> rows) {
      this.rows = rows;
    }

    @Override
    public void write(List<? extends T> value) throws Exception {
      rows.writeAll(value);
    }

    @Override
    public void writeAll(List<? extends List<? extends T>> values) throws Exception {
      rows.writeAll(flatten(values));
    }

    @Override
    public void close() throws Exception {
      rows.close();
    }

    @Override
    public String toString() {
      return "expand(" + rows + ")";
    }
  }

  private static final class ExpandingTransactional<T> extends Expanding<T>
      implements TransactionalSink<List<? extends T>> {
    private final TransactionalSink<T> tx;

    ExpandingTransactional(TransactionalSink<T> rows) {
      super(rows);
      this.tx = rows;
    }

    @Override
    public String storeUrl() {
      return tx.storeUrl();
    }

    @Override
    public void write(StoreTransaction transaction, List<? extends List<? extends T>> values)
        throws Exception {
      tx.write(transaction, flatten(values));
    }
  }

  private static <T> List<T> flatten(List<? extends List<? extends T>> values) {
    List<T> out = new ArrayList<>();
    for (List<? extends T> v : values) {
      if (v != null) {
        out.addAll(v);
      }
    }
    return out;
  }

  /**
   * Describes a JDBC sink; immutable settings gathered before {@link #to} or {@link #toStore}.
   *
   * @param <T> the type of result it takes
   */
  public static final class Builder<T> {
    private String insertSql;
    private Sinks.RowBinder<? super T> binder;
    private String createSql;
    private int batchSize = 1_000;

    private Builder(String insertSql) {
      this.insertSql = insertSql;
    }

    /** How a result becomes the insert's parameters, 1..n in the order of the columns. */
    public Builder<T> binder(Sinks.RowBinder<? super T> binder) {
      this.binder = Objects.requireNonNull(binder, "binder");
      return this;
    }

    /**
     * DDL run before the first insert of each transaction, such as {@code CREATE TABLE IF NOT
     * EXISTS …}.
     */
    public Builder<T> create(String createSql) {
      this.createSql = Objects.requireNonNull(createSql, "createSql");
      return this;
    }

    /**
     * Replaces the generated insert, e.g. to add {@code ON CONFLICT DO NOTHING}; it must take the
     * same parameters.
     */
    public Builder<T> insertSql(String insertSql) {
      this.insertSql = Objects.requireNonNull(insertSql, "insertSql");
      return this;
    }

    /** How many rows go in one JDBC batch (default 1,000); a window may need several. */
    public Builder<T> batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * A sink into any database reached through {@code dataSource}: at-least-once, one transaction
     * per {@code writeAll}. Called by one consumer thread at a time, it borrows a connection per
     * call (pool the data source).
     */
    public Sink<T> to(DataSource dataSource) {
      Objects.requireNonNull(dataSource, "dataSource");
      check();
      return new DataSourceSink<>(dataSource, insertSql, createSql, binder, batchSize);
    }

    /**
     * A sink into the database of {@code store} (a store with SQL transactions): inside a
     * consumer's commit with {@code delivery(EXACTLY_ONCE)}, in a transaction of its own otherwise.
     *
     * @throws dev.sluice.UnsupportedCapabilityException if the store is not kept in a SQL database
     */
    public TransactionalSink<T> toStore(Store store) {
      Objects.requireNonNull(store, "store");
      check();
      return Sinks.table(store, createSql, insertSql, binder);
    }

    private void check() {
      if (binder == null) {
        throw new IllegalStateException("a JDBC sink needs a binder: " + insertSql);
      }
    }
  }

  private static final class DataSourceSink<T> implements Sink<T> {
    private final DataSource dataSource;
    private final String insertSql;
    private final String createSql;
    private final Sinks.RowBinder<? super T> binder;
    private final int batchSize;

    DataSourceSink(
        DataSource dataSource,
        String insertSql,
        String createSql,
        Sinks.RowBinder<? super T> binder,
        int batchSize) {
      this.dataSource = dataSource;
      this.insertSql = insertSql;
      this.createSql = createSql;
      this.binder = binder;
      this.batchSize = batchSize;
    }

    @Override
    public void write(T value) {
      writeAll(List.of(value));
    }

    @Override
    public void writeAll(List<? extends T> values) {
      if (values.isEmpty()) {
        return;
      }
      try (Connection c = dataSource.getConnection()) {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          if (createSql != null) {
            try (Statement s = c.createStatement()) {
              s.execute(createSql);
            }
          }
          try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            int pending = 0;
            for (T v : values) {
              binder.bind(ps, v);
              ps.addBatch();
              if (++pending == batchSize) {
                ps.executeBatch();
                pending = 0;
              }
            }
            if (pending > 0) {
              ps.executeBatch();
            }
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          try {
            c.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
          throw e;
        } finally {
          try {
            c.setAutoCommit(autoCommit);
          } catch (SQLException e) {
            // the connection is broken; the pool discards it
          }
        }
      } catch (SQLException e) {
        throw new StoreException(
            "JDBC sink could not write "
                + values.size()
                + " rows ("
                + insertSql
                + "): "
                + e.getMessage(),
            e);
      }
    }

    @Override
    public String toString() {
      return "JdbcSink(" + insertSql + ")";
    }
  }
}
