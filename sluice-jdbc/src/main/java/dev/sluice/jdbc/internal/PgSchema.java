package dev.sluice.jdbc.internal;

import dev.sluice.StoreException;
import dev.sluice.spi.sql.SqlConsumerTx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store's tables, in a schema of their own, and the format version that guards them.
 *
 * <p>Version 1: {@code meta} (format version, creation time), {@code streams} (one row per stream
 * incarnation; an identity column, so a dropped stream's id, whose records may still be being
 * purged, is never reused; the row is also the lock that orders a stream's appends), {@code
 * records} (primary key stream and offset, the value as {@code bytea}, timestamps in epoch
 * milliseconds), {@code purge} (ids whose records are deleted in the background), {@code procs}
 * (one row per process that opened the store: its liveness lock's key) and the consumer tables
 * {@code groups} and {@code windows} of {@link SqlConsumerTx}.
 */
final class PgSchema {
  /** The newest format this code reads and writes. */
  static final int FORMAT_VERSION = 1;

  private static final String[] CREATE = {
    "CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL)",
    """
    CREATE TABLE streams(
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE,
      incarnation text NOT NULL,
      created bigint NOT NULL,
      first_offset bigint NOT NULL DEFAULT 0,
      next_offset bigint NOT NULL DEFAULT 0,
      ts_floor bigint NOT NULL DEFAULT 0,
      last_append bigint,
      retention text NOT NULL DEFAULT 'forever')""",
    recordsTable("records"),
    "CREATE TABLE purge(stream_id bigint PRIMARY KEY)",
  };

  /** Created in every store that lacks them: the processes, then the consumer tables. */
  private static final String PROCS =
      "CREATE TABLE IF NOT EXISTS procs(id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
          + " started bigint NOT NULL, host text, pid bigint)";

  private PgSchema() {}

  private static void createLaterTables(Statement s) throws SQLException {
    s.execute(PROCS);
    for (String ddl : SqlConsumerTx.createTables(PgConsumerTx.DIALECT)) {
      s.execute(ddl);
    }
  }

  /** The records table under a name; the benchmark's baseline creates exactly this. */
  static String recordsTable(String name) {
    return """
        CREATE TABLE %s(
          stream_id bigint NOT NULL,
          ofs bigint NOT NULL,
          ts bigint NOT NULL,
          key text,
          value bytea NOT NULL,
          PRIMARY KEY(stream_id, ofs))"""
        .formatted(name);
  }

  /**
   * Creates the schema and its tables if absent, or checks the format version of existing ones. One
   * transaction, under an advisory lock, so processes opening a new store at once create it once.
   */
  static void createOrCheck(Connection c, String schema, String where) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, ("sluice-schema:" + schema).hashCode());
        lock.execute();
      }
      List<String> tables = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      if (tables.isEmpty()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        s.execute("SET LOCAL search_path TO " + schema);
        for (String ddl : CREATE) {
          s.execute(ddl);
        }
        createLaterTables(s);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta VALUES (?, ?)")) {
          ps.setString(1, "format_version");
          ps.setString(2, Integer.toString(FORMAT_VERSION));
          ps.addBatch();
          ps.setString(1, "created");
          ps.setString(2, Instant.now().toString());
          ps.addBatch();
          ps.executeBatch();
        }
        c.commit();
        return;
      }
      if (!tables.contains("meta")) {
        throw new StoreException(
            "schema "
                + schema
                + " of "
                + where
                + " is not a Sluice store (it has tables "
                + tables
                + " but no meta table); name another schema with ?schema=…");
      }
      String version;
      try (ResultSet rs =
          s.executeQuery("SELECT value FROM " + schema + ".meta WHERE key = 'format_version'")) {
        if (!rs.next()) {
          throw new StoreException(
              "schema " + schema + " of " + where + " has no format version; not a Sluice store");
        }
        version = rs.getString(1);
      }
      int v;
      try {
        v = Integer.parseInt(version);
      } catch (NumberFormatException e) {
        throw new StoreException(
            "schema " + schema + " of " + where + " has a bad format version: " + version, e);
      }
      if (v > FORMAT_VERSION) {
        throw new StoreException(
            "store "
                + where
                + " was written in format version "
                + v
                + " by a newer Sluice; this version reads up to format "
                + FORMAT_VERSION
                + ". Upgrade Sluice to open it.");
      }
      s.execute("SET LOCAL search_path TO " + schema);
      createLaterTables(s);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
