package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Appends to the embedded store, against raw sqlite-jdbc batch inserts of the same bytes into the
 * same schema, with the same pragmas, in the same database file and process.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar append [runs] [normal|full]}.
 * Every round runs every scenario once, in turn, so drift (file growth, the other core's load)
 * falls on all alike; the first round is warm-up and the median of the rest is reported.
 */
public final class AppendBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DISTINCT_PAYLOADS = 1_000;

  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private final Path dir;
  private final SyncMode sync;
  private int streamCounter;

  private AppendBench(Path dir, SyncMode sync) throws Exception {
    this.dir = dir;
    this.sync = sync;
    for (int i = 0; i < DISTINCT_PAYLOADS; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", 100_000 + i);
      m.put("user", String.format(Locale.ROOT, "user-%04d", i % 5000));
      m.put("amount", Math.round(i * 7.31 * 100) / 100.0);
      m.put("currency", i % 2 == 0 ? "EUR" : "USD");
      m.put("ts", "2026-11-22T04:00:00.000Z");
      payloads.add(m);
      encoded.add(JSON.writeValueAsBytes(m));
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    SyncMode sync =
        args.length > 1 ? SyncMode.valueOf(args[1].toUpperCase(Locale.ROOT)) : SyncMode.NORMAL;
    Path dir = Files.createTempDirectory("sluice-append-bench");
    try {
      new AppendBench(dir, sync).run(runs);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private interface Scenario {
    /** Runs once and returns records per second. */
    double run(Store store, Connection raw) throws Exception;
  }

  private void run(int runs) throws Exception {
    double avg = encoded.stream().mapToInt(b -> b.length).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "append benchmark: payload %.0f-byte JSON objects (%d distinct), sync %s,"
            + " 1 warm-up round + median of %d rounds%n",
        avg,
        DISTINCT_PAYLOADS,
        sync,
        runs);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println("load average before: " + Measure.load());

    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put(
        "baseline: raw sqlite-jdbc executeBatch, 1,000 rows per transaction",
        (s, raw) -> rawBatch(raw, 200_000));
    scenarios.put("appendAll, batches of 1,000, 1 thread", (s, raw) -> appendAll(s, 200_000));
    scenarios.put("appendAsync, 1 thread", (s, raw) -> appendAsync(s, 200_000));
    scenarios.put("append (synchronous), 16 threads", (s, raw) -> appendThreads(s, 16, 100_000));
    scenarios.put("append (synchronous), 1 thread", (s, raw) -> appendThreads(s, 1, 20_000));
    scenarios.put(
        "appendAll of pre-encoded bytes (Codecs.bytes), 1 thread",
        (s, raw) -> appendAllBytes(s, 200_000));
    scenarios.put(
        "context: 16 threads each handing one item to one thread and waiting, no I/O",
        (s, raw) -> handoffOnly(16, 200_000));
    scenarios.put(
        "context: raw sqlite-jdbc, 16 rows per transaction, 1 thread (the most 16 waiting callers"
            + " can share)",
        (s, raw) -> rawBatch(raw, 1_000_000 + streamCounter++, encoded, 100_000, 16));

    Map<String, List<Double>> results = new LinkedHashMap<>();
    scenarios.keySet().forEach(k -> results.put(k, new ArrayList<>()));
    String url = "sqlite:" + dir.resolve("store");
    try (Store store = Sluice.open(url, StoreOptions.defaults().sync(sync));
        Connection raw =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"),
                Measure.sqliteProperties())) {
      try (Statement st = raw.createStatement()) {
        st.execute("PRAGMA synchronous = " + sync.name());
        st.execute("PRAGMA busy_timeout = 10000");
      }
      for (int round = 0; round <= runs; round++) {
        for (var e : scenarios.entrySet()) {
          double rate = e.getValue().run(store, raw);
          if (round > 0) {
            results.get(e.getKey()).add(rate);
          }
        }
        System.out.printf("round %d of %d done%n", round, runs);
      }
    }
    System.out.println("load average after: " + Measure.load());
    Measure.printRatios(results);
    String[] shortNames = {
      "raw batch (baseline)",
      "appendAll",
      "appendAsync",
      "append, 16 threads",
      "append, 1 thread",
      "appendAll, bytes",
      "handoff ceiling (no I/O)",
      "raw, 16 rows/tx",
    };
    double baseline = Measure.median(results.values().iterator().next());
    Map<String, Double> bars = new LinkedHashMap<>();
    int i = 0;
    for (List<Double> rates : results.values()) {
      bars.put(shortNames[i++], Math.round(Measure.median(rates) / baseline * 100) / 100.0);
    }
    Charts.bars(
        "append",
        String.format(
            Locale.ROOT,
            "Appends (%s, %.0f-byte JSON, median of %d): ratio to raw sqlite-jdbc batch insert",
            sync,
            avg,
            runs),
        "ratio to baseline",
        bars);
  }

  private double rawBatch(Connection raw, int records) throws Exception {
    return rawBatch(raw, 1_000_000 + streamCounter++, encoded, records);
  }

  /**
   * The baseline: raw sqlite-jdbc {@code executeBatch} of 1,000 rows per {@code BEGIN IMMEDIATE …
   * COMMIT} into the store's own {@code records} table, cycling through {@code encoded}. Returns
   * records per second.
   */
  static double rawBatch(Connection raw, long streamId, List<byte[]> encoded, int records)
      throws Exception {
    return rawBatch(raw, streamId, encoded, records, 1000);
  }

  /** As {@link #rawBatch(Connection, long, List, int)}, with {@code perTx} rows per transaction. */
  static double rawBatch(
      Connection raw, long streamId, List<byte[]> encoded, int records, int perTx)
      throws Exception {
    long start = System.nanoTime();
    try (PreparedStatement ps =
            raw.prepareStatement(
                "INSERT INTO records(stream_id, ofs, ts, key, value) VALUES (?,?,?,?,?)");
        Statement st = raw.createStatement()) {
      for (int done = 0; done < records; ) {
        st.execute("BEGIN IMMEDIATE");
        long ts = System.currentTimeMillis();
        for (int i = 0; i < perTx && done < records; i++, done++) {
          ps.setLong(1, streamId);
          ps.setLong(2, done);
          ps.setLong(3, ts);
          ps.setString(4, null);
          ps.setBytes(5, encoded.get(done % encoded.size()));
          ps.addBatch();
        }
        ps.executeBatch();
        st.execute("COMMIT");
      }
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double appendAll(Store store, int records) {
    EventStream<Map<String, Object>> s = store.stream("bench-" + streamCounter++);
    long start = System.nanoTime();
    for (int done = 0; done < records; done += 1000) {
      s.appendAll(payloads.subList(0, 1000));
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double appendAllBytes(Store store, int records) {
    EventStream<byte[]> s = store.stream("bench-" + streamCounter++, Codecs.bytes());
    long start = System.nanoTime();
    for (int done = 0; done < records; done += 1000) {
      s.appendAll(encoded.subList(0, 1000));
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double appendAsync(Store store, int records) {
    EventStream<Map<String, Object>> s = store.stream("bench-" + streamCounter++);
    long start = System.nanoTime();
    CompletableFuture<Long> last = null;
    for (int i = 0; i < records; i++) {
      last = s.appendAsync(payloads.get(i % DISTINCT_PAYLOADS));
    }
    last.join();
    return records / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The ceiling of any design where callers wait for one committing thread: 16 threads hand one
   * item each to a consumer thread that completes it at once, with no I/O.
   */
  private static double handoffOnly(int threads, int items) throws Exception {
    LinkedBlockingQueue<CompletableFuture<Long>> queue = new LinkedBlockingQueue<>();
    Thread consumer =
        new Thread(
            () -> {
              List<CompletableFuture<Long>> batch = new ArrayList<>();
              try {
                while (true) {
                  batch.add(queue.take());
                  queue.drainTo(batch);
                  batch.forEach(f -> f.complete(1L));
                  batch.clear();
                }
              } catch (InterruptedException e) {
                // done
              }
            });
    consumer.setDaemon(true);
    consumer.start();
    AtomicInteger next = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                while (next.getAndIncrement() < items) {
                  CompletableFuture<Long> f = new CompletableFuture<>();
                  queue.add(f);
                  f.join();
                }
              });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    double rate = items / ((System.nanoTime() - start) / 1e9);
    consumer.interrupt();
    return rate;
  }

  private double appendThreads(Store store, int threads, int records) throws Exception {
    EventStream<Map<String, Object>> s = store.stream("bench-" + streamCounter++);
    AtomicInteger next = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                ready.countDown();
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i; (i = next.getAndIncrement()) < records; ) {
                  s.append(payloads.get(i % DISTINCT_PAYLOADS));
                }
              });
      w.start();
      workers.add(w);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }
}
