package dev.sluice.internal.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads a store's database straight from its file, as the {@code sqlite3} shell would. */
final class StoreDb {
  private StoreDb() {}

  /** The first column of the first row of {@code sql}, as text. */
  static String query(Path storeDir, String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + storeDir.resolve("sluice.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
