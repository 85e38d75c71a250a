package dev.sluice.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The validator of the crash test: reads the producers' ledgers, the consumers' files (and the
 * exactly-once table), the stream and its dead letters, and says what was lost, duplicated or out
 * of order. Everything is read after every process has exited.
 */
final class LedgerCheck {
  /** The store's database as the validator reads it: the embedded SQLite file, PostgreSQL. */
  public interface Db {
    /** A connection on which the store's tables (and the ledger table) are unqualified names. */
    Connection connect() throws SQLException;

    /** The database's own consistency check: "ok" or what it found. */
    String integrity(Connection c) throws SQLException;

    /** The ledger table's column (or expression) giving insertion order. */
    String insertionOrder();
  }

  /** The embedded store in a directory. */
  static Db sqlite(Path storeDir) {
    return new Db() {
      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + storeDir.resolve("sluice.db"));
      }

      @Override
      public String integrity(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
          rs.next();
          return rs.getString(1);
        }
      }

      @Override
      public String insertionOrder() {
        return "rowid";
      }
    };
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A kill -9 of a child process at {@code millis} (wall clock). */
  record Kill(String process, boolean consumer, long millis, String moment) {}

  /** One {@code S} line of a consumer: a window (or one-by-one retry) started. */
  record Start(String process, String window, int attempt, String phase, long millis) {}

  /** What the validator found. */
  static final class Result {
    final List<String> failures = new ArrayList<>();
    long acknowledged;
    long inStream;
    long poisonInStream;
    long processed;
    long processedDistinct;
    long duplicates;
    long deadLettered;
    long deadAbandoned;
    long unacknowledgedButStored;
    long windowsChecked;
    long windowsRedelivered;
    long lost;
    long takeovers;
    long maxTakeoverMillis = -1;
    List<Long> takeoverMillis = new ArrayList<>();
    String integrity;
    Map<String, Integer> consumerKillMoments = new TreeMap<>();

    void fail(String what) {
      failures.add(what);
    }
  }

  private LedgerCheck() {}

  static long key(long producer, long seq) {
    return producer << 32 | seq;
  }

  static String show(long key) {
    return (key >>> 32) + ":" + (key & 0xffffffffL);
  }

  /**
   * Checks a finished run.
   *
   * @param db the store's database
   * @param work where the ledgers and consumer files are
   * @param exactlyOnce whether consumers wrote the exactly-once table instead of files
   * @param kills the kills of the run
   * @param maxDuplicates the bound on duplicates (0 for exactly-once)
   */
  static Result check(
      Db db,
      Path work,
      String stream,
      String group,
      boolean exactlyOnce,
      List<Kill> kills,
      long maxDuplicates)
      throws IOException, SQLException {
    Result r = new Result();
    // ---- the producers' ledgers
    Set<Long> acked = new HashSet<>();
    Map<Long, Set<Long>> batchEnds = new HashMap<>();
    try (var files = Files.list(work)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".ledger")).toList()) {
        long producer = Long.parseLong(f.getFileName().toString().replaceAll("\\D", ""));
        Set<Long> ends = batchEnds.computeIfAbsent(producer, k -> new HashSet<>());
        for (String line : Files.readAllLines(f)) {
          String[] t = line.split(" ");
          if (t.length != 3) {
            continue; // a line cut by the kill
          }
          long first = Long.parseLong(t[1]);
          long last = Long.parseLong(t[2]);
          if (t[0].equals("B")) {
            ends.add(last);
          } else if (t[0].equals("A")) {
            for (long s = first; s <= last; s++) {
              acked.add(key(producer, s));
            }
          }
        }
      }
    }
    r.acknowledged = acked.size();

    try (Connection c = db.connect()) {
      // ---- the stream: per producer, sequences 0..n-1 in offset order, ending at a batch end
      Set<Long> stored = new HashSet<>();
      Set<Long> poison = new HashSet<>();
      Map<Long, Long> nextSeq = new TreeMap<>();
      for (JsonNode v : values(c, stream)) {
        long p = v.get("p").asLong();
        long s = v.get("s").asLong();
        long expected = nextSeq.getOrDefault(p, 0L);
        if (s != expected) {
          r.fail("stream: producer " + p + " has seq " + s + " where " + expected + " was next");
        }
        nextSeq.put(p, s + 1);
        stored.add(key(p, s));
        if (v.get("x").asInt() == 1) {
          poison.add(key(p, s));
        }
      }
      for (var e : nextSeq.entrySet()) {
        Set<Long> ends = batchEnds.getOrDefault(e.getKey(), Set.of());
        if (!ends.contains(e.getValue() - 1)) {
          r.fail(
              "stream: producer "
                  + e.getKey()
                  + " ends at seq "
                  + (e.getValue() - 1)
                  + ", not at the end of one of its batches (appendAll not atomic?)");
        }
      }
      r.inStream = stored.size();
      r.poisonInStream = poison.size();
      for (long k : acked) {
        if (!stored.contains(k)) {
          r.fail("acknowledged but not in the stream: " + show(k));
        }
      }
      for (long k : stored) {
        if (!acked.contains(k)) {
          r.unacknowledgedButStored++;
        }
      }

      // ---- dead letters
      Map<Long, Integer> dead = new HashMap<>();
      for (JsonNode d : values(c, stream + ".dlq")) {
        JsonNode v = d.get("value");
        long k = key(v.get("p").asLong(), v.get("s").asLong());
        dead.merge(k, 1, Integer::sum);
        if (!poison.contains(k)) {
          r.deadAbandoned++;
          if (!d.path("message").asText().contains("abandoned")) {
            r.fail("good record " + show(k) + " dead-lettered: " + d.path("message").asText());
          }
        }
      }
      r.deadLettered = dead.size();
      dead.forEach(
          (k, n) -> {
            if (n > 1) {
              r.fail("dead-lettered " + n + " times: " + show(k));
            }
          });
      for (long k : poison) {
        if (!dead.containsKey(k)) {
          r.fail("poison record not dead-lettered: " + show(k));
        }
      }

      // ---- what the consumers processed
      Map<Long, Integer> processed = new HashMap<>();
      if (exactlyOnce) {
        readTable(c, db, processed, r);
      } else {
        readFiles(work, processed, r);
      }
      for (var e : processed.entrySet()) {
        r.processed += e.getValue();
        r.duplicates += e.getValue() - 1;
        if (!stored.contains(e.getKey())) {
          r.fail("processed but never stored: " + show(e.getKey()));
        }
        if (poison.contains(e.getKey())) {
          r.fail("poison record processed: " + show(e.getKey()));
        }
      }
      r.processedDistinct = processed.size();
      List<String> lost = new ArrayList<>();
      for (long k : stored) {
        if (!processed.containsKey(k) && !dead.containsKey(k)) {
          lost.add((acked.contains(k) ? "" : "unacknowledged ") + show(k));
        }
      }
      r.lost = lost.size();
      if (!lost.isEmpty()) {
        r.fail(
            lost.size()
                + " records lost (neither processed nor dead-lettered), such as "
                + lost.subList(0, Math.min(10, lost.size())));
      }
      if (r.duplicates > maxDuplicates) {
        r.fail("duplicates " + r.duplicates + " above the bound " + maxDuplicates);
      }

      // ---- the group and the database
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT g.committed, st.next_offset FROM groups g JOIN streams st"
                      + " ON st.id = g.stream_id WHERE st.name = '"
                      + stream
                      + "' AND g.name = '"
                      + group
                      + "'")) {
        if (!rs.next()) {
          r.fail("group " + group + " not found");
        } else if (rs.getLong(1) != rs.getLong(2)) {
          r.fail("group committed " + rs.getLong(1) + " but the stream ends at " + rs.getLong(2));
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM windows WHERE owner IS NOT NULL")) {
        rs.next();
        if (rs.getLong(1) != 0) {
          r.fail(rs.getLong(1) + " windows still owned after every consumer stopped");
        }
      }
      r.integrity = db.integrity(c);
      if (!"ok".equals(r.integrity)) {
        r.fail("integrity_check: " + r.integrity);
      }
    }
    takeovers(work, kills, r);
    return r;
  }

  private static List<JsonNode> values(Connection c, String stream)
      throws SQLException, IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var ps =
        c.prepareStatement(
            "SELECT r.value FROM records r JOIN streams s ON s.id = r.stream_id"
                + " WHERE s.name = ? ORDER BY r.ofs")) {
      ps.setString(1, stream);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JSON.readTree(rs.getBytes(1)));
        }
      }
    }
    return out;
  }

  private static void readTable(Connection c, Db db, Map<Long, Integer> processed, Result r)
      throws SQLException {
    Map<String, Map<Long, Long>> lastPerWindow = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT producer, seq, win FROM ledger ORDER BY " + db.insertionOrder())) {
      while (rs.next()) {
        long p = rs.getLong(1);
        long seq = rs.getLong(2);
        String win = rs.getString(3);
        processed.merge(key(p, seq), 1, Integer::sum);
        Map<Long, Long> last = lastPerWindow.computeIfAbsent(win, k -> new HashMap<>());
        Long before = last.put(p, seq);
        if (before != null && before >= seq) {
          r.fail("order: window " + win + " has " + p + ":" + seq + " after " + p + ":" + before);
        }
      }
    }
    r.windowsChecked = lastPerWindow.size();
  }

  private static void readFiles(Path work, Map<Long, Integer> processed, Result r)
      throws IOException {
    Map<String, String> contentOf = new HashMap<>();
    for (Path f : consumerFiles(work)) {
      List<String> lines = Files.readAllLines(f);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (!line.startsWith("R ")) {
          continue;
        }
        String[] t = line.split(" ");
        if (t.length < 4 || (i == lines.size() - 1 && !complete(f))) {
          continue; // cut by the kill: never acknowledged to the consumer
        }
        String win = t[1];
        String phase = t[3];
        Map<Long, Long> last = new HashMap<>();
        StringBuilder content = new StringBuilder();
        for (int j = 4; j < t.length; j++) {
          int colon = t[j].indexOf(':');
          long p = Long.parseLong(t[j].substring(0, colon));
          long s = Long.parseLong(t[j].substring(colon + 1));
          processed.merge(key(p, s), 1, Integer::sum);
          Long before = last.put(p, s);
          if (before != null && before >= s) {
            r.fail("order: window " + win + " has " + p + ":" + s + " after " + p + ":" + before);
          }
          content.append(t[j]).append(' ');
        }
        if (phase.equals("W")) {
          String was = contentOf.putIfAbsent(win, content.toString());
          if (was != null) {
            r.windowsRedelivered++;
            if (!was.equals(content.toString())) {
              r.fail("window " + win + " held different records on two attempts");
            }
          }
        }
      }
    }
    r.windowsChecked = contentOf.size();
  }

  /** Whether a file ends with a complete line (a kill may cut the last one). */
  private static boolean complete(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    return b.length == 0 || b[b.length - 1] == '\n';
  }

  static List<Path> consumerFiles(Path work) throws IOException {
    try (var files = Files.list(work)) {
      return files.filter(p -> p.toString().endsWith(".out")).sorted().toList();
    }
  }

  static List<Start> starts(Path work) throws IOException {
    List<Start> out = new ArrayList<>();
    for (Path f : consumerFiles(work)) {
      String process = f.getFileName().toString().replace(".out", "");
      for (String line : Files.readAllLines(f)) {
        String[] t = line.split(" ");
        if (t.length == 5 && t[0].equals("S")) {
          try {
            out.add(new Start(process, t[1], Integer.parseInt(t[2]), t[3], Long.parseLong(t[4])));
          } catch (NumberFormatException e) {
            // a line cut by the kill
          }
        }
      }
    }
    return out;
  }

  /**
   * For each consumer kill, how long until another process started each window the killed one had
   * started and not finished: the takeover time, which only the OS-lock liveness can make shorter
   * than the 60 s lease.
   */
  private static void takeovers(Path work, List<Kill> kills, Result r) throws IOException {
    List<Start> starts = starts(work);
    Map<String, List<Start>> byProcess = new LinkedHashMap<>();
    for (Start s : starts) {
      byProcess.computeIfAbsent(s.process(), k -> new ArrayList<>()).add(s);
    }
    for (Kill k : kills) {
      if (!k.consumer()) {
        continue;
      }
      r.consumerKillMoments.merge(k.moment(), 1, Integer::sum);
      Set<String> windows = new HashSet<>();
      for (Start s : byProcess.getOrDefault(k.process(), List.of())) {
        windows.add(s.window());
      }
      for (String w : windows) {
        long first = Long.MAX_VALUE;
        for (Start s : starts) {
          if (s.window().equals(w)
              && !s.process().equals(k.process())
              && s.millis() >= k.millis()) {
            first = Math.min(first, s.millis());
          }
        }
        if (first != Long.MAX_VALUE) {
          long took = first - k.millis();
          r.takeovers++;
          r.takeoverMillis.add(took);
          r.maxTakeoverMillis = Math.max(r.maxTakeoverMillis, took);
        }
      }
    }
  }
}
