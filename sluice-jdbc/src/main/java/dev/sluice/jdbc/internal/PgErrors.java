package dev.sluice.jdbc.internal;

import java.sql.SQLException;

/** Classifies PostgreSQL failures by SQLSTATE. */
final class PgErrors {
  private PgErrors() {}

  /**
   * Whether the connection is gone: class 08 (connection exception), or the server ending the
   * session (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now).
   */
  static boolean isConnectionLoss(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a transaction that failed this way committed nothing and may simply run again: a lost
   * connection (outside {@code COMMIT}), a deadlock victim (40P01), a serialization failure
   * (40001).
   */
  static boolean isRetriable(SQLException e) {
    String state = e.getSQLState();
    return isConnectionLoss(e) || "40P01".equals(state) || "40001".equals(state);
  }
}
