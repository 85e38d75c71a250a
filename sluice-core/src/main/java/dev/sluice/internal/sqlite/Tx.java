package dev.sluice.internal.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside the writer's transaction. */
@FunctionalInterface
interface Tx<T> {
  T apply(Connection connection) throws SQLException;
}
