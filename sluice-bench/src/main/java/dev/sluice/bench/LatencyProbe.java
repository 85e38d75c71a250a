package dev.sluice.bench;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.StreamingJob;
import dev.sluice.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throwaway experiment: how many {@code size(1)} windows per second one worker can finish, and
 * where its wall-clock time goes (a sampler thread reads the worker's stack every ~0.5 ms and
 * buckets it by the innermost {@code dev.sluice} frame), against a raw one-row write transaction in
 * the same process.
 *
 * <p>Usage: {@code java -cp sluice-bench.jar dev.sluice.bench.LatencyProbe [records=5000]
 * [runs=3]}.
 */
public final class LatencyProbe {
  private LatencyProbe() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.println("CPU: " + Measure.cpu() + "; load " + Measure.load());
    Path dir = Files.createTempDirectory("sluice-latency-probe");
    try (Store store =
            Sluice.open(
                "sqlite:" + dir.resolve("store"), StoreOptions.defaults().sync(SyncMode.NORMAL));
        Connection raw =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"))) {
      try (Statement st = raw.createStatement()) {
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("PRAGMA busy_timeout = 10000");
      }
      for (int run = 0; run <= runs; run++) {
        double rawTx = rawTx(raw, 2_000);
        String name = "p" + run;
        EventStream<Map<String, Object>> s = store.stream(name);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          batch.add(LatencyBench.message(i, 0));
        }
        for (int i = 0; i < records; i += 1000) {
          s.appendAll(batch);
        }
        Map<String, Integer> buckets = new HashMap<>();
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        long[] gaps = new long[records];
        long[] lastEnd = {0};
        long start = System.nanoTime();
        StreamingJob job =
            store
                .streaming(name)
                .group("g")
                .size(1)
                .start(
                    w -> {
                      long t0 = System.nanoTime();
                      int k = seen.getAndIncrement();
                      if (lastEnd[0] != 0) {
                        gaps[k] = t0 - lastEnd[0];
                      }
                      if (k + 1 == records) {
                        done.countDown();
                      }
                      lastEnd[0] = System.nanoTime();
                    });
        Thread worker = null;
        while (worker == null) {
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sluice-" + name + "-g-w0")) {
              worker = t;
            }
          }
        }
        int samples = 0;
        while (!done.await(500, TimeUnit.MICROSECONDS)) {
          StackTraceElement[] st = worker.getStackTrace();
          samples++;
          buckets.merge(bucket(st), 1, Integer::sum);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        job.close();
        long[] g = Arrays.copyOfRange(gaps, 1, gaps.length);
        Arrays.sort(g);
        System.out.printf(
            Locale.ROOT,
            "run %d: %,d size(1) windows drained at %.0f windows/s (%.3f ms each); gap between"
                + " handler calls p50 %.3f ms p99 %.3f ms; raw one-row write tx %.3f ms; load %s%n",
            run,
            records,
            records / secs,
            secs * 1e3 / records,
            Measure.percentile(g, 0.5) / 1e6,
            Measure.percentile(g, 0.99) / 1e6,
            rawTx,
            Measure.load());
        int total = samples;
        buckets.entrySet().stream()
            .sorted((a, b) -> b.getValue() - a.getValue())
            .limit(22)
            .forEach(
                e ->
                    System.out.printf(
                        Locale.ROOT, "   %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
      }
    }
  }

  /** The phase of the window's life (outermost match wins) and the innermost operation. */
  private static String bucket(StackTraceElement[] st) {
    String phase = "other";
    String[][] phases = {
      {"Coordinator", "commit", "commit tx"},
      {"Coordinator", "lambda$commit", "commit tx"},
      {"Coordinator", "lambda$claim", "claim tx"},
      {"Coordinator", "claimNew", "claim tx"},
      {"Coordinator", "snapshot", "snapshot read"},
      {"PeekBuffer", "peek", "peek/read records"},
      {"PeekBuffer", "range", "range/read records"},
      {"Wakeups", "await", "idle wait"},
      {"Job", "fail", "other"},
      {"LatencyProbe", "lambda", "handler"},
    };
    outer:
    for (int k = st.length - 1; k >= 0; k--) {
      StackTraceElement e = st[k];
      for (String[] p : phases) {
        if (e.getClassName().endsWith(p[0]) && e.getMethodName().startsWith(p[1])) {
          phase = p[2];
          break outer;
        }
      }
    }
    String op = "java";
    for (StackTraceElement e : st) {
      String c = e.getClassName();
      if (c.startsWith("org.sqlite")) {
        op = "sqlite " + e.getMethodName();
        break;
      }
      if (c.startsWith("com.fasterxml")) {
        op = "jackson";
        break;
      }
      if (c.startsWith("jdk.internal.misc.Unsafe") || c.startsWith("java.util.concurrent.locks")) {
        op = "park/lock";
        break;
      }
      if (c.startsWith("dev.sluice.internal.sqlite.WriteLock")) {
        op = "file lock";
        break;
      }
    }
    return phase + " | " + op;
  }

  /** Median milliseconds of a raw one-row write transaction (BEGIN IMMEDIATE, UPDATE, COMMIT). */
  private static double rawTx(Connection raw, int n) throws Exception {
    long[] t = new long[n];
    try (Statement st = raw.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS probe(id INTEGER PRIMARY KEY, v INTEGER)");
      st.execute("INSERT OR IGNORE INTO probe VALUES (1, 0)");
      try (PreparedStatement ps = raw.prepareStatement("UPDATE probe SET v = v + 1 WHERE id = 1")) {
        for (int i = 0; i < n; i++) {
          long s = System.nanoTime();
          st.execute("BEGIN IMMEDIATE");
          ps.executeUpdate();
          st.execute("COMMIT");
          t[i] = System.nanoTime() - s;
        }
      }
    }
    Arrays.sort(t);
    return Measure.percentile(t, 0.5) / 1e6;
  }
}
