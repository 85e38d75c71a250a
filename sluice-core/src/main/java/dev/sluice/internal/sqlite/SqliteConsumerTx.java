package dev.sluice.internal.sqlite;

import dev.sluice.Retention;
import dev.sluice.internal.base.Partitions;
import dev.sluice.spi.Entry;
import dev.sluice.spi.consumer.StreamRow;
import dev.sluice.spi.sql.SqlConsumerTx;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The consumer tables in one transaction of the embedded store: the group and window SQL shared by
 * every SQL backend, and this store's own stream and record tables.
 */
final class SqliteConsumerTx extends SqlConsumerTx {
  /** Appends in the transaction; null for a read snapshot. */
  @FunctionalInterface
  interface Appender {
    long append(String stream, List<Entry> entries, long now) throws SQLException;
  }

  private static final String STREAM_COLUMNS =
      "id, name, incarnation, first_offset, next_offset, ts_floor, retention";

  private final String url;
  private final Appender appender;

  SqliteConsumerTx(
      String url, Connection c, Statements statements, Appender appender, Instant now) {
    super(c, SqliteDialect.INSTANCE, statements, now, appender != null);
    this.url = url;
    this.appender = appender;
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
  public StreamRow stream(String name, int partition) {
    Partitions.checkSingle(url, name, partition);
    return queryOne(
        "SELECT " + STREAM_COLUMNS + " FROM streams WHERE name = ?",
        ps -> ps.setString(1, name),
        SqliteConsumerTx::streamRow);
  }

  @Override
  public List<StreamRow> streams() {
    return query(
        "SELECT " + STREAM_COLUMNS + " FROM streams", ps -> {}, SqliteConsumerTx::streamRow);
  }

  @Override
  public long firstAtOrAfter(long streamId, int partition, long from, Instant time) {
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
    update(
        "UPDATE streams SET ts_floor = max(ts_floor, ?) WHERE id = ?",
        ps -> {
          ps.setLong(1, time.toEpochMilli());
          ps.setLong(2, streamId);
        });
  }

  @Override
  public long append(String stream, List<Entry> entries) {
    checkWritable();
    try {
      return appender.append(stream, entries, now().toEpochMilli());
    } catch (SQLException e) {
      throw new dev.sluice.StoreException("append to " + stream + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public int deleteBelow(long streamId, int partition, long below, int max) {
    checkWritable();
    // A range of the primary key: "ofs IN (SELECT … LIMIT n)" took seconds per batch on a big
    // store, holding the write lock. Offsets are dense from the lowest one held.
    Long lowest =
        queryOne(
            "SELECT min(ofs) FROM records WHERE stream_id = ?",
            ps -> ps.setLong(1, streamId),
            rs -> {
              long lo = rs.getLong(1);
              return rs.wasNull() ? null : lo;
            });
    long upTo = lowest == null ? below : Math.min(below, lowest + max);
    int deleted =
        update(
            "DELETE FROM records WHERE stream_id = ? AND ofs < ?",
            ps -> {
              ps.setLong(1, streamId);
              ps.setLong(2, upTo);
            });
    update(
        "UPDATE streams SET first_offset = coalesce((SELECT min(ofs) FROM records"
            + " WHERE stream_id = ?1), next_offset) WHERE id = ?1",
        ps -> ps.setLong(1, streamId));
    return deleted;
  }
}
