package dev.sluice.internal.sqlite;

import dev.sluice.spi.sql.SqlDialect;

/** SQLite's spelling: {@code INTEGER} columns, clustered {@code WITHOUT ROWID} tables. */
final class SqliteDialect implements SqlDialect {
  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public String name() {
    return "SQLite";
  }

  @Override
  public String bigint() {
    return "INTEGER";
  }

  @Override
  public String tableOptions() {
    return " WITHOUT ROWID";
  }
}
