package dev.sluice.internal.sqlite;

import dev.sluice.StoreException;
import dev.sluice.spi.sql.SqlConsumerTx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded store's tables, and the format version that guards them.
 *
 * <p>Version 1: {@code meta} (format version, creation time), {@code streams} (one row per stream
 * incarnation; {@code AUTOINCREMENT} so a dropped stream's id, whose records may still be being
 * purged, is never reused), {@code records} (clustered by stream and offset), {@code purge} (ids
 * whose records are deleted in the background, in bounded batches), {@code groups} (one row per
 * consumer group of a stream incarnation) and {@code windows} (each group's claimed windows not yet
 * compacted away).
 */
final class Schema {
  /** The newest format this code reads and writes. */
  static final int FORMAT_VERSION = 1;

  private static final String[] CREATE = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """
    CREATE TABLE streams(
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      incarnation TEXT NOT NULL,
      created INTEGER NOT NULL,
      first_offset INTEGER NOT NULL DEFAULT 0,
      next_offset INTEGER NOT NULL DEFAULT 0,
      ts_floor INTEGER NOT NULL DEFAULT 0,
      last_append INTEGER,
      retention TEXT NOT NULL DEFAULT 'forever')""",
    recordsTable(),
    "CREATE TABLE purge(stream_id INTEGER PRIMARY KEY)",
  };

  /** The consumer tables, created in every store that lacks them (they came with consumers). */
  private static final List<String> CONSUMER_TABLES =
      SqlConsumerTx.createTables(SqliteDialect.INSTANCE);

  private Schema() {}

  /** The records table; the benchmark's baseline creates exactly this. */
  static String recordsTable() {
    return """
        CREATE TABLE records(
          stream_id INTEGER NOT NULL,
          ofs INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          key TEXT,
          value BLOB NOT NULL,
          PRIMARY KEY(stream_id, ofs)) WITHOUT ROWID""";
  }

  /**
   * Creates the schema in a new database, or checks the format version of an existing one. Called
   * with the store's write lock held, before any other connection is opened.
   */
  static void createOrCheck(Connection c, Path db) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    if (tables.isEmpty()) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA auto_vacuum = INCREMENTAL");
        s.execute("PRAGMA journal_mode = WAL");
        s.execute("BEGIN IMMEDIATE");
        for (String ddl : CREATE) {
          s.execute(ddl);
        }
        for (String ddl : CONSUMER_TABLES) {
          s.execute(ddl);
        }
        s.execute("INSERT INTO meta VALUES ('format_version', '" + FORMAT_VERSION + "')");
        s.execute(
            "INSERT INTO meta VALUES ('created', '" + java.time.Instant.now().toString() + "')");
        s.execute("COMMIT");
      }
      return;
    }
    if (!tables.contains("meta")) {
      throw new StoreException(
          db + " is a SQLite database but not a Sluice store (it has tables " + tables + ")");
    }
    int version;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'format_version'")) {
      if (!rs.next()) {
        throw new StoreException(db + " has no format version; it is not a Sluice store");
      }
      version = Integer.parseInt(rs.getString(1));
    }
    if (version > FORMAT_VERSION) {
      throw new StoreException(
          "store "
              + db
              + " was written in format version "
              + version
              + " by a newer Sluice; this version reads up to format "
              + FORMAT_VERSION
              + ". Upgrade Sluice to open it.");
    }
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = WAL");
      for (String ddl : CONSUMER_TABLES) {
        s.execute(ddl);
      }
    }
  }
}
