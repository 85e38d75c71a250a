package dev.sluice.spi.sql;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How one SQL database spells what {@link SqlConsumerTx} needs: column types, table options and
 * upserts. The defaults are standard SQL that SQLite (3.24 and later) and PostgreSQL both accept.
 *
 * <p>Implementations are stateless: {@link SqlConsumerTx} builds a dialect's statements once per
 * dialect class.
 */
public interface SqlDialect {
  /** The database's name, for messages. */
  String name();

  /** The column type of 64-bit integers: {@code INTEGER} in SQLite, {@code BIGINT} elsewhere. */
  default String bigint() {
    return "BIGINT";
  }

  /**
   * What follows a {@code CREATE TABLE}'s closing parenthesis, such as {@code " WITHOUT ROWID"}.
   */
  default String tableOptions() {
    return "";
  }

  /**
   * An insert of {@code columns} (one {@code ?} each, in order) that replaces the row with the same
   * {@code key} columns.
   */
  default String upsert(String table, List<String> columns, List<String> key) {
    String updates =
        columns.stream()
            .filter(c -> !key.contains(c))
            .map(c -> c + " = EXCLUDED." + c)
            .collect(Collectors.joining(", "));
    return "INSERT INTO "
        + table
        + "("
        + String.join(", ", columns)
        + ") VALUES ("
        + columns.stream().map(c -> "?").collect(Collectors.joining(", "))
        + ") ON CONFLICT ("
        + String.join(", ", key)
        + ") DO UPDATE SET "
        + updates;
  }
}
