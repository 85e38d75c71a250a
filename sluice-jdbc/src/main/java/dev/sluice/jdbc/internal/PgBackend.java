package dev.sluice.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.SluiceException;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import dev.sluice.StreamMetadata;
import dev.sluice.SyncMode;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.consumer.ConsumerTables;
import dev.sluice.spi.consumer.Wakeups;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL store: streams kept in tables of one schema of a PostgreSQL database, shared by
 * every process on every machine that opens the same URL.
 *
 * <p>Appends go through the {@link PgWriter} (group commit, offsets assigned under the stream row's
 * lock); reads, metadata, drop and clear use connections of a HikariCP pool. Dropped streams'
 * records are purged in the background in bounded batches.
 */
final class PgBackend implements StoreBackend {
  private static final Logger LOG = LoggerFactory.getLogger(PgBackend.class);
  private static final int PURGE_BATCH = 5_000;

  private final String url;
  private final PgUrl target;
  private final Clock clock;
  private final HikariDataSource pool;
  private final PgWriter writer;
  private final Wakeups wakeups = new Wakeups();
  private final PgProcesses processes;
  private final PgConsumerTables tables;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object purgeLock = new Object();
  private Thread purger;

  private PgBackend(
      String url, PgUrl target, String password, StoreOptions options, HikariDataSource pool)
      throws SQLException {
    this.url = url;
    this.target = target;
    this.clock = options.clock();
    this.pool = pool;
    String channel = "sluice_" + target.schema();
    this.processes =
        new PgProcesses(() -> connect(target, password), target.schema(), channel, wakeups, url);
    this.writer = new PgWriter(pool, clock, url, channel, wakeups::bump);
    this.tables =
        new PgConsumerTables(
            url, pool, clock, options.scheduler(), processes, wakeups, target.schema(), channel);
  }

  /** A connection of its own, outside the pool, as the pool's connections are made. */
  private static Connection connect(PgUrl target, String password) throws SQLException {
    Properties props = new Properties();
    target
        .driverParams()
        .forEach(
            (k, v) -> {
              if (!k.equals("password")) {
                props.setProperty(k, v);
              }
            });
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("currentSchema", target.schema());
    props.setProperty("ApplicationName", "sluice-listener");
    return DriverManager.getConnection(target.jdbcUrl(), props);
  }

  /** Connects, creates or checks the schema, and starts the store. */
  static PgBackend open(String canonicalUrl, String password, StoreOptions options) {
    PgUrl target = PgUrl.parse(canonicalUrl);
    HikariDataSource pool = pool(target, password, options.sync(), target.poolSize());
    try {
      try (Connection c = pool.getConnection()) {
        PgSchema.createOrCheck(c, target.schema(), canonicalUrl);
      }
      PgBackend backend = new PgBackend(canonicalUrl, target, password, options, pool);
      LOG.info("Sluice store opened at {} (sync {})", canonicalUrl, options.sync());
      backend.startPurgeIfNeeded();
      return backend;
    } catch (SQLException | RuntimeException e) {
      pool.close();
      if (e instanceof SluiceException se) {
        throw se;
      }
      throw new StoreException("cannot open the store " + canonicalUrl + ": " + e.getMessage(), e);
    }
  }

  /**
   * A HikariCP pool whose connections use the store's schema and, under {@link SyncMode#FULL},
   * {@code synchronous_commit = on} whatever the server's default.
   */
  static HikariDataSource pool(PgUrl target, String password, SyncMode sync, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice-pg-" + target.database() + "-" + target.schema());
    config.setJdbcUrl(target.jdbcUrl());
    target
        .driverParams()
        .forEach(
            (k, v) -> {
              if (!k.equals("password")) {
                config.addDataSourceProperty(k, v);
              }
            });
    if (password != null) {
      config.setPassword(password);
    }
    config.addDataSourceProperty("currentSchema", target.schema());
    config.addDataSourceProperty("ApplicationName", "sluice");
    if (sync == SyncMode.FULL) {
      config.setConnectionInitSql("SET synchronous_commit = on");
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(1);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to PostgreSQL at "
              + target.jdbcUrl()
              + " for the store "
              + target.canonical()
              + ": "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(
        Capability.CONSUMER_ENGINE,
        Capability.SQL_TRANSACTIONS,
        Capability.RETENTION_UNTIL_CONSUMED,
        Capability.CLEAR);
  }

  @Override
  public Optional<ConsumerTables> consumerTables() {
    return Optional.of(tables);
  }

  @Override
  public CompletableFuture<Long> append(String stream, List<Entry> entries) {
    ensureOpen();
    return writer.append(stream, entries);
  }

  @Override
  public StreamMetadata create(String stream) {
    return withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO streams(name, incarnation, created)"
                      + " VALUES (?, gen_random_uuid()::text, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, stream);
            ps.setLong(2, clock.millis());
            ps.executeUpdate();
          }
          return metadata(c, stream).orElseThrow();
        });
  }

  @Override
  public List<Record<byte[]>> read(String stream, int partition, long fromOffset, int max) {
    if (partition != 0) {
      throw new IllegalArgumentException(
          "the PostgreSQL store has one partition per stream (0): " + partition);
    }
    return withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  // The stream's id as a subquery, not a join: the records' primary key then
                  // serves the range and the order, whatever plan a prepared statement keeps.
                  "SELECT ofs, ts, key, value FROM records"
                      + " WHERE stream_id = (SELECT id FROM streams WHERE name = ?)"
                      + " AND ofs >= greatest(?, (SELECT first_offset FROM streams WHERE name = ?))"
                      + " ORDER BY ofs LIMIT ?")) {
            ps.setString(1, stream);
            ps.setLong(2, fromOffset);
            ps.setString(3, stream);
            ps.setInt(4, max);
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
          }
        });
  }

  @Override
  public List<String> streams() {
    return withConnection(
        c -> {
          List<String> names = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT name FROM streams ORDER BY name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              names.add(rs.getString(1));
            }
          }
          return names;
        });
  }

  @Override
  public Optional<StreamMetadata> metadata(String stream) {
    return withConnection(c -> metadata(c, stream));
  }

  static Optional<StreamMetadata> metadata(Connection c, String stream) throws SQLException {
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
    boolean dropped = inTransaction(c -> dropRow(c, stream) != null);
    if (dropped) {
      startPurgeIfNeeded();
    }
    return dropped;
  }

  @Override
  public void clear(String stream) {
    inTransaction(
        c -> {
          String retention = dropRow(c, stream);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO streams(name, incarnation, created, retention)"
                      + " VALUES (?, gen_random_uuid()::text, ?, ?)")) {
            ps.setString(1, stream);
            ps.setLong(2, clock.millis());
            ps.setString(3, retention == null ? Retention.forever().toString() : retention);
            ps.executeUpdate();
          }
          return null;
        });
    startPurgeIfNeeded();
  }

  /** Deletes a stream's row and queues its records for purging; returns its retention. */
  private static String dropRow(Connection c, String stream) throws SQLException {
    long id;
    String retention;
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM streams WHERE name = ? RETURNING id, retention")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        id = rs.getLong(1);
        retention = rs.getString(2);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO purge(stream_id) VALUES (?)")) {
      ps.setLong(1, id);
      ps.executeUpdate();
    }
    return retention;
  }

  @Override
  public void retention(String stream, Retention retention) {
    withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO streams(name, incarnation, created, retention)"
                      + " VALUES (?, gen_random_uuid()::text, ?, ?)"
                      + " ON CONFLICT (name) DO UPDATE SET retention = excluded.retention")) {
            ps.setString(1, stream);
            ps.setLong(2, clock.millis());
            ps.setString(3, retention.toString());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** Work on a connection of the pool. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs work on a pooled connection in auto-commit mode, retrying on a lost connection. */
  <T> T withConnection(SqlWork<T> work) {
    return run(work, false);
  }

  /** Runs work in one transaction on a pooled connection, retrying what is safe to retry. */
  <T> T inTransaction(SqlWork<T> work) {
    return run(work, true);
  }

  private <T> T run(SqlWork<T> work, boolean transaction) {
    ensureOpen();
    long deadline = System.nanoTime() + PgWriter.RETRY_FOR_MILLIS * 1_000_000;
    long backoff = 50;
    while (true) {
      boolean committing = false;
      try (Connection c = pool.getConnection()) {
        if (!transaction) {
          return work.apply(c);
        }
        c.setAutoCommit(false);
        try {
          T result = work.apply(c);
          committing = true;
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          PgWriter.rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        if (!committing
            && PgErrors.isRetriable(e)
            && System.nanoTime() < deadline
            && !closed.get()) {
          LOG.warn("{} failed ({}); retrying on a new connection", url, e.getMessage());
          sleep(backoff);
          backoff = Math.min(1_000, backoff * 2);
          continue;
        }
        throw new StoreException("store " + url + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to retry", e);
    }
  }

  /** Deletes purged streams' records in bounded transactions on a background thread. */
  private void startPurgeIfNeeded() {
    synchronized (purgeLock) {
      if (closed.get() || (purger != null && purger.isAlive())) {
        return;
      }
      purger = new Thread(this::purge, "sluice-pg-purge");
      purger.setDaemon(true);
      purger.start();
    }
  }

  private void purge() {
    try {
      while (!closed.get()) {
        int deleted = withConnection(this::purgeSome);
        if (deleted < 0) {
          break;
        }
      }
    } catch (SluiceException e) {
      if (!closed.get()) {
        LOG.warn("purging dropped streams of {} stopped; it resumes at next open", url, e);
      }
    }
  }

  /** Deletes up to one batch of purged records; returns -1 when nothing is left. */
  private int purgeSome(Connection c) throws SQLException {
    long id;
    try (PreparedStatement ps = c.prepareStatement("SELECT stream_id FROM purge LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return -1;
      }
      id = rs.getLong(1);
    }
    int deleted;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM records WHERE ctid = ANY(ARRAY("
                + "SELECT ctid FROM records WHERE stream_id = ? LIMIT ?))")) {
      ps.setLong(1, id);
      ps.setInt(2, PURGE_BATCH);
      deleted = ps.executeUpdate();
    }
    if (deleted == 0) {
      for (String sql :
          List.of(
              "DELETE FROM windows WHERE stream_id = ?",
              "DELETE FROM groups WHERE stream_id = ?",
              "DELETE FROM purge WHERE stream_id = ?")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setLong(1, id);
          ps.executeUpdate();
        }
      }
    }
    return deleted;
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
    writer.close();
    Thread p;
    synchronized (purgeLock) {
      p = purger;
    }
    if (p != null) {
      try {
        p.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.close();
    pool.close();
    LOG.info("Sluice store closed at {}", url);
  }

  @Override
  public String toString() {
    return "PgBackend[" + url + "]";
  }
}
