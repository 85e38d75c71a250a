package dev.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Throwaway experiment: the cost of the SQL a {@code size(1)} window runs, on raw sqlite-jdbc, with
 * synthetic tables of the same column counts (groups 19, windows 13), WAL and synchronous NORMAL.
 * Compares: one bare write transaction; the window's current shape (a read snapshot of stream,
 * group and windows, a claim transaction and a commit transaction, each re-reading the three rows,
 * with INSERT OR REPLACE of window and group); the same with sqlite-jdbc's generated keys off; and
 * a merged shape (one read, one write transaction per window).
 *
 * <p>Usage: {@code java -cp sluice-bench.jar dev.sluice.bench.JdbcProbe [n=5000] [rounds=5]}.
 */
public final class JdbcProbe {
  private static final String G_COLS =
      "stream_id, name, cursor, committed, next_seq, next_token, last_kind, last_first, last_last,"
          + " last_start, last_end, last_resume, created, last_read, expiry, done, failed, dead,"
          + " lost";
  private static final String W_COLS =
      "stream_id, grp, seq, first_offset, last_offset, start, end, state, owner, token, attempt,"
          + " heartbeat, not_before";

  private JdbcProbe() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("CPU: " + Measure.cpu() + "; load " + Measure.load());
    Path dir = Files.createTempDirectory("sluice-jdbc-probe");
    String url = "jdbc:sqlite:" + dir.resolve("p.db");
    try (Connection keysOn = open(url, true);
        Connection keysOff = open(url, false)) {
      try (Statement st = keysOn.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute(
            "CREATE TABLE streams(id INTEGER PRIMARY KEY, name TEXT UNIQUE, incarnation TEXT,"
                + " first_offset INTEGER, next_offset INTEGER, ts_floor INTEGER)");
        st.execute(
            "CREATE TABLE groups(stream_id INTEGER, name TEXT, cursor INTEGER, committed INTEGER,"
                + " next_seq INTEGER, next_token INTEGER, last_kind INTEGER, last_first INTEGER,"
                + " last_last INTEGER, last_start INTEGER, last_end INTEGER, last_resume INTEGER,"
                + " created INTEGER, last_read INTEGER, expiry INTEGER, done INTEGER, failed"
                + " INTEGER, dead INTEGER, lost INTEGER, PRIMARY KEY(stream_id, name))");
        st.execute(
            "CREATE TABLE windows(stream_id INTEGER, grp TEXT, seq INTEGER, first_offset INTEGER,"
                + " last_offset INTEGER, start INTEGER, end INTEGER, state INTEGER, owner TEXT,"
                + " token INTEGER, attempt INTEGER, heartbeat INTEGER, not_before INTEGER,"
                + " PRIMARY KEY(stream_id, grp, seq))");
        st.execute("INSERT INTO streams VALUES (1, 's', 'x', 0, 1000000, 0)");
        st.execute("INSERT INTO groups VALUES (1, 'g', 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0)");
      }
      Map<String, List<Double>> res = new LinkedHashMap<>();
      long[] seq = {0};
      for (int r = 0; r <= rounds; r++) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bare write tx (BEGIN IMMEDIATE, 1 UPDATE, COMMIT)", bare(keysOn, n));
        m.put("window as now: read + claim tx + commit tx, generated keys on", now(keysOn, n, seq));
        m.put("window as now, generated keys off", now(keysOff, n, seq));
        m.put(
            "window merged: read + 1 write tx, generated keys off", merged(keysOff, n, seq, true));
        m.put(
            "window merged, no separate snapshot: 1 write tx, generated keys off",
            merged(keysOff, n, seq, false));
        System.out.println("round " + r + " (µs per window) " + m + " load " + Measure.load());
        if (r > 0) {
          m.forEach((k, v) -> res.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
      }
      System.out.println();
      System.out.println("| SQL per window, raw sqlite-jdbc | µs per window (median) | runs |");
      System.out.println("|---|---:|---|");
      res.forEach(
          (k, v) ->
              System.out.printf(
                  Locale.ROOT,
                  "| %s | %.1f | %s |%n",
                  k,
                  Measure.median(v),
                  v.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList()));
    }
  }

  private static Connection open(String url, boolean keys) throws Exception {
    Properties p = new Properties();
    p.setProperty("jdbc.get_generated_keys", Boolean.toString(keys));
    Connection c = DriverManager.getConnection(url, p);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA synchronous = NORMAL");
      st.execute("PRAGMA busy_timeout = 10000");
    }
    return c;
  }

  private static double bare(Connection c, int n) throws Exception {
    try (Statement st = c.createStatement();
        PreparedStatement up = c.prepareStatement("UPDATE streams SET ts_floor = ? WHERE id = 1")) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        st.execute("BEGIN IMMEDIATE");
        up.setLong(1, i);
        up.executeUpdate();
        st.execute("COMMIT");
      }
      return (System.nanoTime() - start) / 1e3 / n;
    }
  }

  /** Prepared statements of one shape, on one connection. */
  private static final class Sql implements AutoCloseable {
    final Statement st;
    final PreparedStatement stream;
    final PreparedStatement group;
    final PreparedStatement windows;
    final PreparedStatement putWindow;
    final PreparedStatement delWindow;
    final PreparedStatement putGroup;

    Sql(Connection c) throws Exception {
      st = c.createStatement();
      stream =
          c.prepareStatement(
              "SELECT id, name, incarnation, first_offset, next_offset, ts_floor FROM streams"
                  + " WHERE name = ?");
      group =
          c.prepareStatement("SELECT " + G_COLS + " FROM groups WHERE stream_id = ? AND name = ?");
      windows =
          c.prepareStatement(
              "SELECT " + W_COLS + " FROM windows WHERE stream_id = ? AND grp = ? ORDER BY seq");
      putWindow =
          c.prepareStatement(
              "INSERT OR REPLACE INTO windows(" + W_COLS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
      delWindow =
          c.prepareStatement("DELETE FROM windows WHERE stream_id = ? AND grp = ? AND seq = ?");
      putGroup =
          c.prepareStatement(
              "INSERT OR REPLACE INTO groups("
                  + G_COLS
                  + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    }

    void readAll() throws Exception {
      stream.setString(1, "s");
      drain(stream.executeQuery());
      group.setLong(1, 1);
      group.setString(2, "g");
      drain(group.executeQuery());
      windows.setLong(1, 1);
      windows.setString(2, "g");
      drain(windows.executeQuery());
    }

    void putWindow(long seq, int state) throws Exception {
      putWindow.setLong(1, 1);
      putWindow.setString(2, "g");
      putWindow.setLong(3, seq);
      for (int i = 4; i <= 13; i++) {
        if (i == 9) {
          putWindow.setString(i, state == 1 ? "owner-process/0" : null);
        } else {
          putWindow.setLong(i, i == 8 ? state : seq);
        }
      }
      putWindow.executeUpdate();
    }

    void putGroup(long seq) throws Exception {
      putGroup.setLong(1, 1);
      putGroup.setString(2, "g");
      for (int i = 3; i <= 19; i++) {
        putGroup.setLong(i, seq);
      }
      putGroup.executeUpdate();
    }

    void delWindow(long seq) throws Exception {
      delWindow.setLong(1, 1);
      delWindow.setString(2, "g");
      delWindow.setLong(3, seq);
      delWindow.executeUpdate();
    }

    @Override
    public void close() throws Exception {
      st.close();
    }
  }

  private static void drain(ResultSet rs) throws Exception {
    try (rs) {
      while (rs.next()) {
        rs.getLong(1);
      }
    }
  }

  /** The window's transactions as the engine runs them today (minus the record read). */
  private static double now(Connection c, int n, long[] seq) throws Exception {
    try (Sql q = new Sql(c)) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = seq[0]++;
        // snapshot
        q.st.execute("BEGIN");
        q.readAll();
        q.st.execute("COMMIT");
        // claim
        q.st.execute("BEGIN IMMEDIATE");
        q.readAll();
        q.putWindow(s, 1);
        q.putGroup(s);
        q.st.execute("COMMIT");
        // commit
        q.st.execute("BEGIN IMMEDIATE");
        q.readAll();
        q.putWindow(s, 2);
        q.delWindow(s);
        q.putGroup(s);
        q.st.execute("COMMIT");
      }
      return (System.nanoTime() - start) / 1e3 / n;
    }
  }

  /**
   * One read snapshot and one write transaction per window: the commit of window k and the claim of
   * window k+1 in the same transaction (the window row written once, finished, group once).
   */
  private static double merged(Connection c, int n, long[] seq, boolean snapshot) throws Exception {
    try (Sql q = new Sql(c)) {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = seq[0]++;
        if (snapshot) {
          q.st.execute("BEGIN");
          q.readAll();
          q.st.execute("COMMIT");
        }
        q.st.execute("BEGIN IMMEDIATE");
        q.readAll();
        q.delWindow(s - 1);
        q.putWindow(s, 1);
        q.putGroup(s);
        q.st.execute("COMMIT");
      }
      return (System.nanoTime() - start) / 1e3 / n;
    }
  }
}
