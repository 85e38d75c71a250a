package dev.sluice.internal.consumer;

import dev.sluice.internal.consumer.Rows.GroupRow;
import dev.sluice.internal.consumer.Rows.StreamRow;
import dev.sluice.internal.consumer.Rows.WindowRow;
import dev.sluice.spi.Entry;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/**
 * The consumer tables inside one transaction of a store: a read snapshot, or the write transaction.
 * The consumer logic ({@link Coordinator}) is written once over this; each store implements it over
 * its own storage.
 */
public interface GroupTx {
  /** The store clock's time, in millis. */
  long now();

  /** A stream's row, or null. */
  StreamRow stream(String name);

  /** All streams' rows. */
  List<StreamRow> streams();

  /** A group's row, or null. */
  GroupRow group(long streamId, String name);

  /** A stream's groups. */
  List<GroupRow> groups(long streamId);

  /** Inserts or replaces a group's row. */
  void putGroup(GroupRow group);

  /** Deletes a group with its windows. */
  void deleteGroup(long streamId, String name);

  /** A group's windows in sequence order. */
  List<WindowRow> windows(long streamId, String group);

  /** Inserts or replaces a window's row. */
  void putWindow(WindowRow window);

  /** Deletes a window's row. */
  void deleteWindow(long streamId, String group, long seq);

  /** Adds one to the heartbeat of every window claimed by an owner starting with a prefix. */
  int heartbeat(String ownerPrefix);

  /**
   * The first offset at or after {@code from} whose timestamp is at or after {@code tsMillis}, or
   * the stream's next offset if there is none.
   */
  long firstAtOrAfter(long streamId, long from, long tsMillis);

  /** Raises the stream's timestamp floor to {@code tsMillis} if it is lower. */
  void raiseFloor(long streamId, long tsMillis);

  /** Appends to a stream (creating it) in this transaction; returns the first offset. */
  long append(String stream, List<Entry> entries);

  /**
   * Deletes up to {@code max} of a stream's oldest records below {@code below} and raises its first
   * offset; returns how many were deleted.
   */
  int deleteBelow(long streamId, long below, int max);

  /** The transaction's JDBC connection, for stores in a SQL database. */
  Optional<Connection> connection();
}
