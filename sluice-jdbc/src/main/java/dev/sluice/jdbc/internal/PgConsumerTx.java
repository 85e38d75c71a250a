package dev.sluice.jdbc.internal;

import dev.sluice.Retention;
import dev.sluice.spi.Entry;
import dev.sluice.spi.consumer.StreamRow;
import dev.sluice.spi.sql.SqlConsumerTx;
import dev.sluice.spi.sql.SqlDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The consumer tables of the PostgreSQL store inside one transaction: the group and window SQL of
 * {@link SqlConsumerTx}, and what touches this store's {@code streams} and {@code records}.
 *
 * <p>In a write transaction a stream's row is read {@code FOR UPDATE}: appends to that stream wait
 * until the transaction ends, so a time window the transaction closes (raising the stream's floor)
 * cannot receive a record stamped inside it by an append committing meanwhile.
 */
final class PgConsumerTx extends SqlConsumerTx {
  /** PostgreSQL spells what {@link SqlConsumerTx} needs in standard SQL. */
  static final SqlDialect DIALECT = () -> "PostgreSQL";

  private static final String STREAM_COLUMNS =
      "id, name, incarnation, first_offset, next_offset, ts_floor, retention";

  private final Connection connection;
  private final boolean writable;
  private final String channel;

  PgConsumerTx(
      Connection connection, Statements statements, Instant now, boolean writable, String channel) {
    super(connection, DIALECT, statements, now, writable);
    this.connection = connection;
    this.writable = writable;
    this.channel = channel;
  }

  @Override
  public StreamRow stream(String name, int partition) {
    checkPartition(partition);
    return queryOne(
        "SELECT "
            + STREAM_COLUMNS
            + " FROM streams WHERE name = ?"
            + (writable ? " FOR UPDATE" : ""),
        ps -> ps.setString(1, name),
        PgConsumerTx::streamRow);
  }

  @Override
  public List<StreamRow> streams() {
    return query(
        "SELECT " + STREAM_COLUMNS + " FROM streams ORDER BY name",
        ps -> {},
        PgConsumerTx::streamRow);
  }

  private static StreamRow streamRow(ResultSet rs) throws SQLException {
    return new StreamRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        0,
        rs.getLong(4),
        rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        Retention.parse(rs.getString(7)));
  }

  @Override
  public long firstAtOrAfter(long streamId, int partition, long from, Instant time) {
    checkPartition(partition);
    // Timestamps never decrease along offsets: the first match in offset order is the answer.
    Long found =
        queryOne(
            "SELECT ofs FROM records WHERE stream_id = ? AND ofs >= ? AND ts >= ?"
                + " ORDER BY ofs LIMIT 1",
            ps -> {
              ps.setLong(1, streamId);
              ps.setLong(2, from);
              ps.setLong(3, time.toEpochMilli());
            },
            rs -> rs.getLong(1));
    if (found != null) {
      return found;
    }
    Long next =
        queryOne(
            "SELECT next_offset FROM streams WHERE id = ?",
            ps -> ps.setLong(1, streamId),
            rs -> rs.getLong(1));
    return next == null ? from : next;
  }

  @Override
  public void raiseFloor(long streamId, int partition, Instant time) {
    checkWritable();
    checkPartition(partition);
    update(
        "UPDATE streams SET ts_floor = greatest(ts_floor, ?) WHERE id = ?",
        ps -> {
          ps.setLong(1, time.toEpochMilli());
          ps.setLong(2, streamId);
        });
  }

  @Override
  public long append(String stream, List<Entry> entries) {
    checkWritable();
    if (entries.isEmpty()) {
      return -1;
    }
    long now = now().toEpochMilli();
    try {
      long first = PgWriter.appendEntries(connection, stream, entries, now, channel);
      if (first < 0) {
        PgWriter.createStreamsInTx(connection, List.of(stream), now);
        first = PgWriter.appendEntries(connection, stream, entries, now, channel);
      }
      return first;
    } catch (SQLException e) {
      throw new dev.sluice.StoreException("append to " + stream + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int deleteBelow(long streamId, int partition, long below, int max) {
    checkWritable();
    checkPartition(partition);
    List<Long> deleted =
        query(
            "DELETE FROM records WHERE ctid = ANY(ARRAY(SELECT ctid FROM records"
                + " WHERE stream_id = ? AND ofs < ? ORDER BY ofs LIMIT ?)) RETURNING ofs",
            ps -> {
              ps.setLong(1, streamId);
              ps.setLong(2, below);
              ps.setInt(3, max);
            },
            rs -> rs.getLong(1));
    if (!deleted.isEmpty()) {
      long top = deleted.stream().mapToLong(Long::longValue).max().orElseThrow();
      update(
          "UPDATE streams SET first_offset = greatest(first_offset, ?) WHERE id = ?",
          ps -> {
            ps.setLong(1, top + 1);
            ps.setLong(2, streamId);
          });
    }
    return deleted.size();
  }

  private static void checkPartition(int partition) {
    if (partition != 0) {
      throw new IllegalArgumentException(
          "the PostgreSQL store has one partition per stream (0): " + partition);
    }
  }
}
