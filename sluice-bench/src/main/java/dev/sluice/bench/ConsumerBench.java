package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.StreamingJob;
import dev.sluice.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * End to end: a producer thread appends records with {@code appendAll} in batches of 1,000 while
 * one consumer job ({@code size(1000)}, 1 worker) reads them concurrently; timed from the first
 * append to the moment the group's committed offset reaches the last record. Against the raw
 * sqlite-jdbc batch insert of the same records (AppendBench's baseline), in the same process and
 * database file.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar consumer [runs=5]
 * [records=1000000] [warmup-records=200000]}.
 */
public final class ConsumerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DISTINCT_PAYLOADS = 1_000;
  private static final int BATCH = 1_000;

  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private final Path dir;
  private int streamCounter;

  private ConsumerBench(Path dir) throws Exception {
    this.dir = dir;
    for (int i = 0; i < DISTINCT_PAYLOADS; i++) {
      Map<String, Object> m = payload(i);
      payloads.add(m);
      encoded.add(JSON.writeValueAsBytes(m));
    }
  }

  /** The same ~100-byte JSON objects as AppendBench. */
  static Map<String, Object> payload(int i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", 100_000 + i);
    m.put("user", String.format(Locale.ROOT, "user-%04d", i % 5000));
    m.put("amount", Math.round(i * 7.31 * 100) / 100.0);
    m.put("currency", i % 2 == 0 ? "EUR" : "USD");
    m.put("ts", "2026-11-22T04:00:00.000Z");
    return m;
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    Path dir = Files.createTempDirectory("sluice-consumer-bench");
    try {
      new ConsumerBench(dir).run(runs, records, warmup);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(int runs, int records, int warmup) throws Exception {
    double avg = encoded.stream().mapToInt(b -> b.length).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "consumer (end-to-end) benchmark: %,d records per run, payload %.0f-byte JSON objects"
            + " (%d distinct), sync NORMAL, producer: 1 thread appendAll batches of %,d;"
            + " consumer: 1 job, size(%d), 1 worker; 1 warm-up round of %,d records + median of"
            + " %d rounds%n",
        records,
        avg,
        DISTINCT_PAYLOADS,
        BATCH,
        BATCH,
        warmup,
        runs);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println("load before: " + Measure.load());

    List<Double> base = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String url = "sqlite:" + dir.resolve("store");
    try (Store store = Sluice.open(url, StoreOptions.defaults().sync(SyncMode.NORMAL));
        Connection raw =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"),
                Measure.sqliteProperties())) {
      try (Statement st = raw.createStatement()) {
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("PRAGMA busy_timeout = 10000");
      }
      for (int round = 0; round <= runs; round++) {
        int n = round == 0 ? warmup : records;
        // alternate the order so drift falls on both alike
        double b;
        Result r;
        if (round % 2 == 0) {
          b = AppendBench.rawBatch(raw, 2_000_000 + streamCounter++, encoded, n);
          r = endToEnd(store, "e2e-" + streamCounter++, payloads, n);
        } else {
          r = endToEnd(store, "e2e-" + streamCounter++, payloads, n);
          b = AppendBench.rawBatch(raw, 2_000_000 + streamCounter++, encoded, n);
        }
        System.out.printf(
            Locale.ROOT,
            "round %d of %d%s: baseline %s/s, end-to-end %s/s (ratio %.2f); %s; load %s%n",
            round,
            runs,
            round == 0 ? " (warm-up)" : "",
            Measure.rate(b),
            Measure.rate(r.rate),
            r.rate / b,
            r.note,
            Measure.load());
        if (round > 0) {
          base.add(b);
          e2e.add(r.rate);
          notes.add(r.note);
        }
      }
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      ratios.add(e2e.get(i) / base.get(i));
    }
    double mb = Measure.median(base);
    double me = Measure.median(e2e);
    System.out.println();
    System.out.println("load after: " + Measure.load());
    System.out.println("| scenario | records/s (median) | ratio to baseline | runs (records/s) |");
    System.out.println("|---|---:|---:|---|");
    System.out.printf(
        Locale.ROOT,
        "| baseline: raw sqlite-jdbc executeBatch, 1,000 rows per transaction | %s | 1.00 | %s |%n",
        Measure.rate(mb),
        String.join(" ", base.stream().map(Measure::rate).toList()));
    System.out.printf(
        Locale.ROOT,
        "| end-to-end: appendAll(1,000) producer + size(1000) consumer, first append to last"
            + " commit | %s | %.2f (median of per-round ratios %.2f) | %s |%n",
        Measure.rate(me),
        me / mb,
        Measure.median(ratios),
        String.join(" ", e2e.stream().map(Measure::rate).toList()));
    Charts.bars(
        "consumer",
        "Produce + consume end to end vs raw sqlite-jdbc insert (median of " + runs + " rounds)",
        "thousand records/s",
        Charts.values(
            "raw sqlite-jdbc insert (baseline)",
            Math.round(mb / 1000),
            "Sluice end to end",
            Math.round(me / 1000)));
  }

  /** One end-to-end run: records per second and a line saying when each side finished. */
  record Result(double rate, String note) {}

  /**
   * One end-to-end run into a new stream {@code name}: a producer thread appends {@code records} of
   * the payloads with {@code appendAll} in batches of 1,000 while a {@code size(1000)} job sums
   * their {@code id} field; timed from the first append to the group's commit of the last record.
   * The peers benchmark runs the same code.
   */
  static Result endToEnd(Store store, String name, List<Map<String, Object>> payloads, int records)
      throws Exception {
    EventStream<Map<String, Object>> s = store.stream(name);
    AtomicLong seen = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    AtomicLong lastSeenAt = new AtomicLong();
    AtomicLong producerDoneAt = new AtomicLong();
    CountDownLatch allSeen = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    StreamingJob job =
        store
            .streaming(name)
            .group("g")
            .size(BATCH)
            .start(
                window -> {
                  long local = 0;
                  for (Map<String, Object> v : window.data()) {
                    local += ((Number) v.get("id")).longValue();
                  }
                  sum.addAndGet(local);
                  if (seen.addAndGet(window.size()) == records) {
                    lastSeenAt.set(System.nanoTime());
                    allSeen.countDown();
                  }
                });
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int done = 0; done < records; done += BATCH) {
                  s.appendAll(payloads.subList(0, BATCH));
                }
                producerDoneAt.set(System.nanoTime());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "producer");
    long start = System.nanoTime();
    producer.start();
    if (!allSeen.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("consumer saw " + seen.get() + " of " + records);
    }
    long committed;
    while ((committed = committed(s)) < records) {
      LockSupport.parkNanos(200_000);
    }
    long end = System.nanoTime();
    producer.join();
    if (failure.get() != null) {
      throw new IllegalStateException("producer failed", failure.get());
    }
    job.close();
    if (committed != records) {
      throw new IllegalStateException("committed " + committed + " != " + records);
    }
    long expectedSum = 0;
    for (int i = 0; i < records; i++) {
      expectedSum += ((Number) payloads.get(i % BATCH).get("id")).longValue();
    }
    if (sum.get() != expectedSum) {
      throw new IllegalStateException("sum " + sum.get() + " != " + expectedSum);
    }
    double rate = records / ((end - start) / 1e9);
    String note =
        String.format(
            Locale.ROOT,
            "producer done at %.2f s, handler saw last at %.2f s, committed %,d at %.2f s",
            (producerDoneAt.get() - start) / 1e9,
            (lastSeenAt.get() - start) / 1e9,
            committed,
            (end - start) / 1e9);
    return new Result(rate, note);
  }

  private static long committed(EventStream<?> s) {
    for (GroupMetadata g : s.groups()) {
      if (g.name().equals("g")) {
        return g.committed();
      }
    }
    return -1;
  }
}
