package dev.sluice.reliability;

import dev.sluice.jdbc.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The kill -9 ledger suite of docs/RELIABILITY.md on the PostgreSQL store: producer and consumer
 * JVMs share one schema of a real PostgreSQL server, as processes on separate machines would.
 * Liveness comes from session advisory locks, released when a killed JVM's connections drop.
 */
class PostgresCrashLedgerTest extends CrashLedgerTest {
  private final Map<Path, String> schemas = new HashMap<>();

  @Override
  String url(Path dir) {
    String url = TestPostgres.freshUrl();
    schemas.put(dir, url.substring(url.indexOf("schema=") + "schema=".length()));
    return url;
  }

  @Override
  LedgerCheck.Db db(Path dir) {
    String schema = schemas.get(dir);
    return new LedgerCheck.Db() {
      @Override
      public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("currentSchema", schema);
        return DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + TestPostgres.server().getPort() + "/postgres", p);
      }

      /** amcheck's B-tree check of every index of the store's schema, with heap verification. */
      @Override
      public String integrity(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA public");
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT count(public.bt_index_check(i.oid, true)) FROM pg_class i"
                      + " JOIN pg_namespace n ON n.oid = i.relnamespace JOIN pg_am a"
                      + " ON a.oid = i.relam WHERE n.nspname = '"
                      + schema
                      + "' AND i.relkind = 'i' AND a.amname = 'btree'")) {
            rs.next();
            return rs.getLong(1) > 0 ? "ok" : "no index checked";
          }
        } catch (SQLException e) {
          return "amcheck failed: " + e.getMessage();
        }
      }

      @Override
      public String insertionOrder() {
        return "id";
      }
    };
  }
}
