package dev.sluice.spi.consumer;

import dev.sluice.spi.Entry;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The consumer tables inside one transaction of a backend: a read snapshot ({@link
 * ConsumerTables#read}) or a write transaction ({@link ConsumerTables#write}). The consumer engine
 * writes its rules once over this; each backend implements it over its own storage.
 *
 * <p>A write transaction is atomic and serializable with every other write of the store, across
 * threads and processes: the engine's claims rely on reading a row and putting a changed copy back
 * without anyone writing in between. A read snapshot sees one consistent state and must not write
 * (its write methods throw {@link IllegalStateException}). Used by one thread, only during the call
 * it is passed to. Rows are values: changing one changes nothing until it is put back.
 */
public interface ConsumerTx {
  /** The store clock's time, read once when the transaction began. */
  Instant now();

  /** A stream partition's row, or {@code null} if the stream does not exist. */
  StreamRow stream(String name, int partition);

  /** Every partition of every stream. */
  List<StreamRow> streams();

  /** A group's row for a partition, or {@code null}. */
  GroupRow group(long streamId, String name, int partition);

  /** Every group row of a stream incarnation, by name then partition. */
  List<GroupRow> groups(long streamId);

  /** Inserts or replaces a group's row (keyed by stream id, name and partition). */
  void putGroup(GroupRow group);

  /** Deletes a group, every partition of it, with its windows. */
  void deleteGroup(long streamId, String name);

  /** A group's windows on a partition, in sequence order. */
  List<WindowRow> windows(long streamId, String group, int partition);

  /** Inserts or replaces a window's row (keyed by stream id, group, partition and sequence). */
  void putWindow(WindowRow window);

  /** Deletes a window's row. */
  void deleteWindow(long streamId, String group, int partition, long seq);

  /**
   * Adds one to the {@link WindowRow#heartbeat()} of every {@link WindowState#CLAIMED} window, of
   * any stream, whose owner starts with {@code ownerPrefix}; returns how many.
   */
  int heartbeat(String ownerPrefix);

  /**
   * The first offset at or after {@code from} in a partition whose timestamp is at or after {@code
   * time}, or the partition's next offset if there is none. Timestamps never decrease along
   * offsets, so this is where a time window ends.
   */
  long firstAtOrAfter(long streamId, int partition, long from, Instant time);

  /** Raises a partition's timestamp floor to {@code time} if it is lower. */
  void raiseFloor(long streamId, int partition, Instant time);

  /**
   * Appends to a stream (creating it) in this transaction, stamped as the store stamps appends;
   * returns the first offset. Dead letters and a transactional sink's output go through here.
   */
  long append(String stream, List<Entry> entries);

  /**
   * Deletes up to {@code max} of a partition's oldest records below offset {@code below} and raises
   * its first offset past them; returns how many were deleted. Retention calls this in bounded
   * transactions.
   */
  int deleteBelow(long streamId, int partition, long below, int max);

  /**
   * The transaction's JDBC connection, for backends with {@link
   * dev.sluice.spi.Capability#SQL_TRANSACTIONS}; empty for others.
   */
  Optional<Connection> connection();
}
