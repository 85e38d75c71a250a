package dev.sluice.internal.sqlite;

import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.WindowBounds;
import dev.sluice.internal.consumer.GroupTx;
import dev.sluice.internal.consumer.Rows.GroupRow;
import dev.sluice.internal.consumer.Rows.StreamRow;
import dev.sluice.internal.consumer.Rows.WindowRow;
import dev.sluice.spi.Entry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The consumer tables over one SQLite connection, inside a transaction opened by the caller. */
final class SqlGroupTx implements GroupTx {
  /** Prepares (and may cache) a statement on the transaction's connection. */
  @FunctionalInterface
  interface Statements {
    PreparedStatement prepare(String sql) throws SQLException;
  }

  private static final String STREAM_COLUMNS =
      "id, name, incarnation, first_offset, next_offset, ts_floor, retention";
  private static final String GROUP_COLUMNS =
      "stream_id, name, cursor, committed, next_seq, next_token, last_kind, last_first, last_last,"
          + " last_start, last_end, last_resume, created, last_read, expiry, done, failed, dead,"
          + " lost";
  private static final String WINDOW_COLUMNS =
      "stream_id, grp, seq, first_offset, last_offset, start, end, state, owner, token, attempt,"
          + " heartbeat, not_before";

  /** Appends in the transaction; null for a read snapshot. */
  @FunctionalInterface
  interface Appender {
    long append(String stream, List<Entry> entries, long now) throws SQLException;
  }

  private final Connection c;
  private final Statements statements;
  private final Appender appender;
  private final long now;

  SqlGroupTx(Connection c, Statements statements, Appender appender, long now) {
    this.c = c;
    this.statements = statements;
    this.appender = appender;
    this.now = now;
  }

  private PreparedStatement ps(String sql) {
    try {
      return statements.prepare(sql);
    } catch (SQLException e) {
      throw new StoreException("cannot prepare " + sql + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long now() {
    return now;
  }

  @Override
  public StreamRow stream(String name) {
    try {
      PreparedStatement ps = ps("SELECT " + STREAM_COLUMNS + " FROM streams WHERE name = ?");
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? streamRow(rs) : null;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public List<StreamRow> streams() {
    try {
      List<StreamRow> out = new ArrayList<>();
      try (ResultSet rs = ps("SELECT " + STREAM_COLUMNS + " FROM streams").executeQuery()) {
        while (rs.next()) {
          out.add(streamRow(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private static StreamRow streamRow(ResultSet rs) throws SQLException {
    return new StreamRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getLong(6),
        Retention.parse(rs.getString(7)));
  }

  @Override
  public GroupRow group(long streamId, String name) {
    try {
      PreparedStatement ps =
          ps("SELECT " + GROUP_COLUMNS + " FROM groups WHERE stream_id = ? AND name = ?");
      ps.setLong(1, streamId);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? groupRow(rs) : null;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public List<GroupRow> groups(long streamId) {
    try {
      PreparedStatement ps =
          ps("SELECT " + GROUP_COLUMNS + " FROM groups WHERE stream_id = ? ORDER BY name");
      ps.setLong(1, streamId);
      List<GroupRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(groupRow(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private static GroupRow groupRow(ResultSet rs) throws SQLException {
    GroupRow g = new GroupRow();
    g.streamId = rs.getLong(1);
    g.name = rs.getString(2);
    g.cursor = rs.getLong(3);
    g.committed = rs.getLong(4);
    g.nextSeq = rs.getLong(5);
    g.nextToken = rs.getLong(6);
    int kind = rs.getInt(7);
    if (!rs.wasNull()) {
      Instant start = Instant.ofEpochMilli(rs.getLong(10));
      Instant end = Instant.ofEpochMilli(rs.getLong(11));
      g.last =
          kind == 1
              ? WindowBounds.ofTime(start, end, Instant.ofEpochMilli(rs.getLong(12)))
              : WindowBounds.ofOffsets(rs.getLong(8), rs.getLong(9), start, end);
    }
    g.created = rs.getLong(13);
    g.lastRead = rs.getLong(14);
    g.expiryMillis = rs.getLong(15);
    g.done = rs.getLong(16);
    g.failed = rs.getLong(17);
    g.dead = rs.getLong(18);
    g.lost = rs.getLong(19);
    return g;
  }

  @Override
  public void putGroup(GroupRow g) {
    try {
      PreparedStatement ps =
          ps(
              "INSERT OR REPLACE INTO groups("
                  + GROUP_COLUMNS
                  + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      ps.setLong(1, g.streamId);
      ps.setString(2, g.name);
      ps.setLong(3, g.cursor);
      ps.setLong(4, g.committed);
      ps.setLong(5, g.nextSeq);
      ps.setLong(6, g.nextToken);
      WindowBounds b = g.last;
      if (b == null) {
        for (int i = 7; i <= 12; i++) {
          ps.setNull(i, java.sql.Types.INTEGER);
        }
      } else {
        ps.setInt(7, b.isTime() ? 1 : 0);
        ps.setLong(8, b.firstOffset());
        ps.setLong(9, b.lastOffset());
        ps.setLong(10, b.start().toEpochMilli());
        ps.setLong(11, b.end().toEpochMilli());
        if (b.isTime()) {
          ps.setLong(12, b.resumeAt().toEpochMilli());
        } else {
          ps.setNull(12, java.sql.Types.INTEGER);
        }
      }
      ps.setLong(13, g.created);
      ps.setLong(14, g.lastRead);
      ps.setLong(15, g.expiryMillis);
      ps.setLong(16, g.done);
      ps.setLong(17, g.failed);
      ps.setLong(18, g.dead);
      ps.setLong(19, g.lost);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void deleteGroup(long streamId, String name) {
    try {
      PreparedStatement ps = ps("DELETE FROM windows WHERE stream_id = ? AND grp = ?");
      ps.setLong(1, streamId);
      ps.setString(2, name);
      ps.executeUpdate();
      ps = ps("DELETE FROM groups WHERE stream_id = ? AND name = ?");
      ps.setLong(1, streamId);
      ps.setString(2, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public List<WindowRow> windows(long streamId, String group) {
    try {
      PreparedStatement ps =
          ps(
              "SELECT "
                  + WINDOW_COLUMNS
                  + " FROM windows WHERE stream_id = ? AND grp = ? ORDER BY seq");
      ps.setLong(1, streamId);
      ps.setString(2, group);
      List<WindowRow> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          WindowRow w = new WindowRow();
          w.streamId = rs.getLong(1);
          w.group = rs.getString(2);
          w.seq = rs.getLong(3);
          w.first = rs.getLong(4);
          w.last = rs.getLong(5);
          w.start = rs.getLong(6);
          w.end = rs.getLong(7);
          w.state = rs.getInt(8);
          w.owner = rs.getString(9);
          w.token = rs.getLong(10);
          w.attempt = rs.getInt(11);
          w.heartbeat = rs.getLong(12);
          w.notBefore = rs.getLong(13);
          out.add(w);
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void putWindow(WindowRow w) {
    try {
      PreparedStatement ps =
          ps(
              "INSERT OR REPLACE INTO windows("
                  + WINDOW_COLUMNS
                  + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
      ps.setLong(1, w.streamId);
      ps.setString(2, w.group);
      ps.setLong(3, w.seq);
      ps.setLong(4, w.first);
      ps.setLong(5, w.last);
      ps.setLong(6, w.start);
      ps.setLong(7, w.end);
      ps.setInt(8, w.state);
      ps.setString(9, w.owner);
      ps.setLong(10, w.token);
      ps.setInt(11, w.attempt);
      ps.setLong(12, w.heartbeat);
      ps.setLong(13, w.notBefore);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void deleteWindow(long streamId, String group, long seq) {
    try {
      PreparedStatement ps = ps("DELETE FROM windows WHERE stream_id = ? AND grp = ? AND seq = ?");
      ps.setLong(1, streamId);
      ps.setString(2, group);
      ps.setLong(3, seq);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int heartbeat(String ownerPrefix) {
    try {
      PreparedStatement ps =
          ps(
              "UPDATE windows SET heartbeat = heartbeat + 1"
                  + " WHERE state = 0 AND substr(owner, 1, length(?1)) = ?1");
      ps.setString(1, ownerPrefix);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long firstAtOrAfter(long streamId, long from, long tsMillis) {
    try {
      // Timestamps never decrease along offsets: the first match in offset order is the answer.
      PreparedStatement ps =
          ps(
              "SELECT ofs FROM records WHERE stream_id = ? AND ofs >= ? AND ts >= ?"
                  + " ORDER BY ofs LIMIT 1");
      ps.setLong(1, streamId);
      ps.setLong(2, from);
      ps.setLong(3, tsMillis);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
      PreparedStatement next = ps("SELECT next_offset FROM streams WHERE id = ?");
      next.setLong(1, streamId);
      try (ResultSet rs = next.executeQuery()) {
        return rs.next() ? rs.getLong(1) : from;
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public void raiseFloor(long streamId, long tsMillis) {
    try {
      PreparedStatement ps = ps("UPDATE streams SET ts_floor = max(ts_floor, ?) WHERE id = ?");
      ps.setLong(1, tsMillis);
      ps.setLong(2, streamId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public long append(String stream, List<Entry> entries) {
    try {
      if (appender == null) {
        throw new IllegalStateException("a read snapshot cannot append");
      }
      return appender.append(stream, entries, now);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public int deleteBelow(long streamId, long below, int max) {
    try {
      // A range of the primary key: "ofs IN (SELECT … LIMIT n)" took seconds per batch on a big
      // store, holding the write lock. Offsets are dense from the lowest one held.
      PreparedStatement lowest = ps("SELECT min(ofs) FROM records WHERE stream_id = ?");
      lowest.setLong(1, streamId);
      long lo;
      try (ResultSet rs = lowest.executeQuery()) {
        rs.next();
        lo = rs.getLong(1);
        if (rs.wasNull()) {
          lo = below;
        }
      }
      PreparedStatement ps = ps("DELETE FROM records WHERE stream_id = ? AND ofs < ?");
      ps.setLong(1, streamId);
      ps.setLong(2, Math.min(below, lo + max));
      int deleted = ps.executeUpdate();
      PreparedStatement first =
          ps(
              "UPDATE streams SET first_offset = coalesce((SELECT min(ofs) FROM records"
                  + " WHERE stream_id = ?1), next_offset) WHERE id = ?1");
      first.setLong(1, streamId);
      first.executeUpdate();
      return deleted;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public Optional<Connection> connection() {
    return Optional.of(c);
  }

  private static StoreException failed(SQLException e) {
    return new StoreException("consumer tables: " + e.getMessage(), e);
  }
}
