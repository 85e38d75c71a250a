package dev.sluice.spi;

import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The store's write transaction in which a consumer commits a window, handed to a {@link
 * TransactionalSink} so its output commits (or rolls back) with the window.
 *
 * <p>Valid only during the call it is passed to. Do not commit, roll back or close anything.
 */
public interface StoreTransaction {
  /** The URL of the store the transaction belongs to. */
  String storeUrl();

  /**
   * Appends entries to a stream of the store, in this transaction; returns the first offset.
   *
   * @throws IllegalArgumentException if the stream name breaks the naming rule
   */
  long append(String stream, List<Entry> entries);

  /**
   * The JDBC connection of the transaction, for stores kept in a SQL database (the embedded SQLite
   * store); empty for others.
   */
  Optional<Connection> connection();
}
