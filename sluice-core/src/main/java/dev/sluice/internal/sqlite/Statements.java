package dev.sluice.internal.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one connection, by SQL text. Not thread-safe: one user at a time.
 *
 * <p>sqlite-jdbc finalizes a prepared statement whose step fails with anything but BUSY, LOCKED,
 * CONSTRAINT or MISUSE (a full disk, an I/O error); every later use of it fails with "statement is
 * not executing". So after a failure the owner calls {@link #reset()}, and the statements are
 * prepared again on next use.
 */
final class Statements {
  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  Statements(Connection connection) {
    this.connection = connection;
  }

  Connection connection() {
    return connection;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = prepared.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      prepared.put(sql, ps);
    }
    return ps;
  }

  /** Closes every statement, so that the next use prepares it again. */
  void reset() {
    for (PreparedStatement ps : prepared.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        // finalized already
      }
    }
    prepared.clear();
  }
}
