package dev.sluice.spi.sql;

import dev.sluice.StoreException;
import dev.sluice.WindowBounds;
import dev.sluice.spi.consumer.ConsumerTx;
import dev.sluice.spi.consumer.GroupRow;
import dev.sluice.spi.consumer.WindowRow;
import dev.sluice.spi.consumer.WindowState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer tables of a SQL backend — {@code groups} and {@code windows} — inside one
 * transaction that the backend opened on a connection. The SQL is written here once; the backend
 * implements what touches its own stream and record tables ({@link #stream}, {@link #streams},
 * {@link #firstAtOrAfter}, {@link #raiseFloor}, {@link #append}, {@link #deleteBelow}).
 *
 * <p>The tables hold one partition per stream: rows of another partition are refused. Times are
 * stored as epoch milliseconds, durations as milliseconds, window states as {@link
 * WindowState#code()}. {@link #createTables} gives the DDL.
 *
 * <p>Not thread-safe: one transaction, one thread.
 */
public abstract class SqlConsumerTx implements ConsumerTx {
  /** Prepares a statement on the transaction's connection; may hand out a cached one. */
  @FunctionalInterface
  public interface Statements {
    /** A prepared statement for {@code sql}, kept open by the caller's cache. */
    PreparedStatement prepare(String sql) throws SQLException;
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  protected interface Binder {
    /** Binds the parameters. */
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Reads one row of a result. */
  @FunctionalInterface
  protected interface RowReader<R> {
    /** The value of the current row. */
    R read(ResultSet rs) throws SQLException;
  }

  private static final List<String> GROUP_COLUMNS =
      List.of(
          "stream_id",
          "name",
          "cursor",
          "committed",
          "next_seq",
          "next_token",
          "last_kind",
          "last_first",
          "last_last",
          "last_start",
          "last_end",
          "last_resume",
          "created",
          "last_read",
          "expiry",
          "done",
          "failed",
          "dead",
          "lost");
  private static final List<String> GROUP_KEY = List.of("stream_id", "name");
  private static final List<String> WINDOW_COLUMNS =
      List.of(
          "stream_id",
          "grp",
          "seq",
          "first_offset",
          "last_offset",
          "start",
          "\"end\"",
          "state",
          "owner",
          "token",
          "attempt",
          "heartbeat",
          "not_before");
  private static final List<String> WINDOW_KEY = List.of("stream_id", "grp", "seq");

  /**
   * The upserts of each dialect class, built once: a transaction starts for every claim. Keyed by
   * class (dialects are stateless), so the map holds at most one entry per dialect on the class
   * path.
   */
  private static final Map<Class<?>, String[]> UPSERTS = new ConcurrentHashMap<>();

  private final Connection connection;
  private final Statements statements;
  private final Instant now;
  private final boolean writable;
  private final String putGroup;
  private final String putWindow;

  /**
   * A transaction's view of the consumer tables.
   *
   * @param connection the connection, inside a transaction the backend opened
   * @param dialect how the database spells upserts
   * @param statements prepares (and may cache) statements on {@code connection}
   * @param now the store clock's time at the transaction's start
   * @param writable false for a read snapshot, whose writes throw {@link IllegalStateException}
   */
  protected SqlConsumerTx(
      Connection connection,
      SqlDialect dialect,
      Statements statements,
      Instant now,
      boolean writable) {
    this.connection = connection;
    this.statements = statements;
    this.now = now;
    this.writable = writable;
    String[] upserts = UPSERTS.get(dialect.getClass());
    if (upserts == null) {
      upserts =
          new String[] {
            dialect.upsert("groups", GROUP_COLUMNS, GROUP_KEY),
            dialect.upsert("windows", WINDOW_COLUMNS, WINDOW_KEY)
          };
      UPSERTS.putIfAbsent(dialect.getClass(), upserts);
    }
    this.putGroup = upserts[0];
    this.putWindow = upserts[1];
  }

  /** The DDL of the consumer tables, each {@code CREATE TABLE IF NOT EXISTS}. */
  public static List<String> createTables(SqlDialect d) {
    String i = d.bigint();
    return List.of(
        "CREATE TABLE IF NOT EXISTS groups(\n"
            + "  stream_id "
            + i
            + " NOT NULL,\n  name TEXT NOT NULL,\n"
            + columns(
                i,
                "cursor",
                "committed",
                "next_seq",
                "next_token",
                "last_kind?",
                "last_first?",
                "last_last?",
                "last_start?",
                "last_end?",
                "last_resume?",
                "created",
                "last_read",
                "expiry",
                "done=0",
                "failed=0",
                "dead=0",
                "lost=0")
            + "  PRIMARY KEY(stream_id, name))"
            + d.tableOptions(),
        "CREATE TABLE IF NOT EXISTS windows(\n"
            + "  stream_id "
            + i
            + " NOT NULL,\n  grp TEXT NOT NULL,\n"
            + columns(i, "seq", "first_offset", "last_offset", "start", "\"end\"", "state")
            + "  owner TEXT,\n"
            + columns(i, "token", "attempt", "heartbeat", "not_before")
            + "  PRIMARY KEY(stream_id, grp, seq))"
            + d.tableOptions());
  }

  /** Column definitions: {@code name?} is nullable, {@code name=0} has a default. */
  private static String columns(String type, String... names) {
    StringBuilder b = new StringBuilder();
    for (String n : names) {
      if (n.endsWith("?")) {
        b.append("  ").append(n, 0, n.length() - 1).append(' ').append(type).append(",\n");
      } else if (n.endsWith("=0")) {
        b.append("  ")
            .append(n, 0, n.length() - 2)
            .append(' ')
            .append(type)
            .append(" NOT NULL DEFAULT 0,\n");
      } else {
        b.append("  ").append(n).append(' ').append(type).append(" NOT NULL,\n");
      }
    }
    return b.toString();
  }

  // ---- the one way statements run

  /** Runs an update; returns the row count. */
  protected final int update(String sql, Binder binder) {
    try {
      PreparedStatement ps = statements.prepare(sql);
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /** Runs a query; returns its rows. */
  protected final <R> List<R> query(String sql, Binder binder, RowReader<R> reader) {
    try {
      PreparedStatement ps = statements.prepare(sql);
      binder.bind(ps);
      List<R> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failed(sql, e);
    }
  }

  /** Runs a query; returns its first row, or null. */
  protected final <R> R queryOne(String sql, Binder binder, RowReader<R> reader) {
    List<R> rows = query(sql, binder, reader);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Throws unless this is a write transaction. */
  protected final void checkWritable() {
    if (!writable) {
      throw new IllegalStateException("a read snapshot cannot write");
    }
  }

  private static StoreException failed(String sql, SQLException e) {
    return new StoreException("consumer tables: " + e.getMessage() + " (in " + sql + ")", e);
  }

  private static void checkPartition(int partition) {
    if (partition != 0) {
      throw new IllegalArgumentException(
          "the SQL consumer tables hold one partition per stream (0): " + partition);
    }
  }

  // ---- ConsumerTx

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public GroupRow group(long streamId, String name, int partition) {
    checkPartition(partition);
    return queryOne(
        "SELECT "
            + String.join(", ", GROUP_COLUMNS)
            + " FROM groups WHERE stream_id = ? AND name = ?",
        ps -> {
          ps.setLong(1, streamId);
          ps.setString(2, name);
        },
        SqlConsumerTx::groupRow);
  }

  @Override
  public List<GroupRow> groups(long streamId) {
    return query(
        "SELECT "
            + String.join(", ", GROUP_COLUMNS)
            + " FROM groups WHERE stream_id = ? ORDER BY name",
        ps -> ps.setLong(1, streamId),
        SqlConsumerTx::groupRow);
  }

  private static GroupRow groupRow(ResultSet rs) throws SQLException {
    WindowBounds last = null;
    int kind = rs.getInt(7);
    if (!rs.wasNull()) {
      Instant start = Instant.ofEpochMilli(rs.getLong(10));
      Instant end = Instant.ofEpochMilli(rs.getLong(11));
      last =
          kind == 1
              ? WindowBounds.ofTime(start, end, Instant.ofEpochMilli(rs.getLong(12)))
              : WindowBounds.ofOffsets(rs.getLong(8), rs.getLong(9), start, end);
    }
    return new GroupRow(
        rs.getLong(1),
        rs.getString(2),
        0,
        rs.getLong(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getLong(6),
        last,
        Instant.ofEpochMilli(rs.getLong(13)),
        Instant.ofEpochMilli(rs.getLong(14)),
        Duration.ofMillis(rs.getLong(15)),
        rs.getLong(16),
        rs.getLong(17),
        rs.getLong(18),
        rs.getLong(19));
  }

  @Override
  public void putGroup(GroupRow g) {
    checkWritable();
    checkPartition(g.partition());
    update(
        putGroup,
        ps -> {
          ps.setLong(1, g.streamId());
          ps.setString(2, g.name());
          ps.setLong(3, g.cursor());
          ps.setLong(4, g.committed());
          ps.setLong(5, g.nextSeq());
          ps.setLong(6, g.nextToken());
          WindowBounds b = g.last();
          if (b == null) {
            for (int i = 7; i <= 12; i++) {
              ps.setNull(i, Types.BIGINT);
            }
          } else {
            ps.setLong(7, b.isTime() ? 1 : 0);
            ps.setLong(8, b.firstOffset());
            ps.setLong(9, b.lastOffset());
            ps.setLong(10, b.start().toEpochMilli());
            ps.setLong(11, b.end().toEpochMilli());
            if (b.isTime()) {
              ps.setLong(12, b.resumeAt().toEpochMilli());
            } else {
              ps.setNull(12, Types.BIGINT);
            }
          }
          ps.setLong(13, g.created().toEpochMilli());
          ps.setLong(14, g.lastRead().toEpochMilli());
          ps.setLong(15, g.expiry().toMillis());
          ps.setLong(16, g.done());
          ps.setLong(17, g.failed());
          ps.setLong(18, g.dead());
          ps.setLong(19, g.lost());
        });
  }

  @Override
  public void deleteGroup(long streamId, String name) {
    checkWritable();
    Binder keys =
        ps -> {
          ps.setLong(1, streamId);
          ps.setString(2, name);
        };
    update("DELETE FROM windows WHERE stream_id = ? AND grp = ?", keys);
    update("DELETE FROM groups WHERE stream_id = ? AND name = ?", keys);
  }

  @Override
  public List<WindowRow> windows(long streamId, String group, int partition) {
    checkPartition(partition);
    return query(
        "SELECT "
            + String.join(", ", WINDOW_COLUMNS)
            + " FROM windows WHERE stream_id = ? AND grp = ? ORDER BY seq",
        ps -> {
          ps.setLong(1, streamId);
          ps.setString(2, group);
        },
        rs ->
            new WindowRow(
                rs.getLong(1),
                rs.getString(2),
                0,
                rs.getLong(3),
                rs.getLong(4),
                rs.getLong(5),
                Instant.ofEpochMilli(rs.getLong(6)),
                Instant.ofEpochMilli(rs.getLong(7)),
                WindowState.of(rs.getInt(8)),
                rs.getString(9),
                rs.getLong(10),
                rs.getInt(11),
                rs.getLong(12),
                Instant.ofEpochMilli(rs.getLong(13))));
  }

  @Override
  public void putWindow(WindowRow w) {
    checkWritable();
    checkPartition(w.partition());
    update(
        putWindow,
        ps -> {
          ps.setLong(1, w.streamId());
          ps.setString(2, w.group());
          ps.setLong(3, w.seq());
          ps.setLong(4, w.firstOffset());
          ps.setLong(5, w.lastOffset());
          ps.setLong(6, w.start().toEpochMilli());
          ps.setLong(7, w.end().toEpochMilli());
          ps.setInt(8, w.state().code());
          ps.setString(9, w.owner());
          ps.setLong(10, w.token());
          ps.setInt(11, w.attempt());
          ps.setLong(12, w.heartbeat());
          ps.setLong(13, w.notBefore().toEpochMilli());
        });
  }

  @Override
  public void deleteWindow(long streamId, String group, int partition, long seq) {
    checkWritable();
    checkPartition(partition);
    update(
        "DELETE FROM windows WHERE stream_id = ? AND grp = ? AND seq = ?",
        ps -> {
          ps.setLong(1, streamId);
          ps.setString(2, group);
          ps.setLong(3, seq);
        });
  }

  @Override
  public int heartbeat(String ownerPrefix) {
    checkWritable();
    return update(
        "UPDATE windows SET heartbeat = heartbeat + 1 WHERE state = "
            + WindowState.CLAIMED.code()
            + " AND substr(owner, 1, length(?)) = ?",
        ps -> {
          ps.setString(1, ownerPrefix);
          ps.setString(2, ownerPrefix);
        });
  }

  @Override
  public Optional<Connection> connection() {
    return Optional.of(connection);
  }
}
