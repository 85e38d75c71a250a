package dev.sluice.bench;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Append latency while a big dropped stream is purged in the background, against the same appends
 * with no purge, in the same store and process (issue 10 item 7).
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar purge [rounds=5]
 * [records=1000000] [samples=10000] [cap seconds=600]}. First one record of 10 MB goes to stream
 * {@code x}, as in the report (it sits just below the big stream in the records table, and
 * made the old purge take 30–50 s per batch). Each round fills stream {@code big} with {@code
 * records} records of ~95-byte JSON ({@code appendAll} of pre-encoded bytes, batches of 10,000),
 * then a producer appends one record per millisecond (a late one is sent at once, never skipped)
 * with the synchronous {@code append} to stream {@code probe}, timing each call: first {@code
 * samples} appends with no purge, then, right after {@code drop("big")}, every append until the
 * purge has finished (its queue empty and no free page left) or the cap has passed. Reported per
 * round: p50/p99/p99.9/max of each phase, the ratio of their p99s, the purge's duration; then the
 * medians over the rounds and the percentiles of all rounds' samples pooled.
 */
public final class PurgeBench {
  private static final long PERIOD_NANOS = 1_000_000L;

  private PurgeBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    long capSeconds = args.length > 3 ? Long.parseLong(args[3]) : 600;
    Path dir = Files.createTempDirectory("sluice-purge-bench");
    try {
      run(dir, rounds, records, samples, capSeconds);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(Path dir, int rounds, int records, int samples, long capSeconds)
      throws Exception {
    List<byte[]> payload = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      payload.add(
          String.format(
                  Locale.ROOT,
                  "{\"id\":%d,\"user\":\"user-%04d\",\"amount\":%.2f,\"currency\":\"%s\","
                      + "\"ts\":\"2026-11-22T04:00:00.000Z\"}",
                  100_000 + i,
                  i % 5000,
                  i * 7.31,
                  i % 2 == 0 ? "EUR" : "USD")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Map<String, Object> probeValue =
        Map.of("id", 1, "user", "user-0001", "amount", 7.31, "currency", "USD");
    System.out.printf(
        Locale.ROOT,
        "purge benchmark: %d rounds; each fills a stream with %,d records of ~%d-byte JSON, then"
            + " times synchronous appends of one record per ms: %,d with no purge, then all of"
            + " those made while the dropped stream is purged; a 10 MB record in a stream below;"
            + " sync NORMAL%n",
        rounds,
        records,
        payload.get(0).length,
        samples);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println("load before: " + Measure.load());

    Path storeDir = dir.resolve("store");
    Map<String, List<Double>> medians = new LinkedHashMap<>();
    List<long[]> pooledQuiet = new ArrayList<>();
    List<long[]> pooledBusy = new ArrayList<>();
    try (Store store = Sluice.open("sqlite:" + storeDir);
        Connection watch =
            DriverManager.getConnection("jdbc:sqlite:" + storeDir.resolve("sluice.db"))) {
      EventStream<Map<String, Object>> probe = store.stream("probe");
      probe.append(probeValue);
      // As in issue 10's report: one 10 MB record in the stream created just before the big one.
      store.stream("x", Codecs.bytes()).append(new byte[10 << 20]);
      for (int round = 1; round <= rounds; round++) {
        EventStream<byte[]> big = store.stream("big", Codecs.bytes());
        long fillStart = System.nanoTime();
        for (int done = 0; done < records; done += payload.size()) {
          big.appendAll(payload.subList(0, Math.min(payload.size(), records - done)));
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long dbBytes = Files.size(storeDir.resolve("sluice.db"));

        long[] quiet = timeAppends(probe, probeValue, samples, () -> true);
        long dropStart = System.nanoTime();
        store.drop("big");
        long dropNanos = System.nanoTime() - dropStart;
        long[] purgeDone = {0};
        Thread watcher =
            new Thread(
                () -> {
                  try {
                    long cap = System.nanoTime() + TimeUnit.SECONDS.toNanos(capSeconds);
                    while (!purged(watch) && System.nanoTime() < cap) {
                      Thread.sleep(5);
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  synchronized (purgeDone) {
                    purgeDone[0] = System.nanoTime();
                  }
                });
        watcher.start();
        long[] busy =
            timeAppends(
                probe,
                probeValue,
                1,
                () -> {
                  synchronized (purgeDone) {
                    return purgeDone[0] != 0;
                  }
                });
        watcher.join();
        double purgeSeconds = (purgeDone[0] - dropStart) / 1e9;
        if (!purged(watch)) {
          System.out.printf(
              Locale.ROOT, "round %d: the purge had not finished after %d s%n", round, capSeconds);
        }
        Arrays.sort(quiet);
        Arrays.sort(busy);
        double ratio =
            (double) Measure.percentile(busy, 0.99) / Math.max(1, Measure.percentile(quiet, 0.99));
        System.out.printf(
            Locale.ROOT,
            "round %d: filled %,d records in %.1f s (file %,d MB); drop() returned in %.2f ms;"
                + " purge took %.1f s%n  no purge:     %s (%,d appends)%n  during purge: %s"
                + " (%,d appends)%n  p99 ratio %.2f; load %s%n",
            round,
            records,
            fillSeconds,
            dbBytes >> 20,
            dropNanos / 1e6,
            purgeSeconds,
            summary(quiet),
            quiet.length,
            summary(busy),
            busy.length,
            ratio,
            Measure.load());
        add(medians, "no purge p50 ms", Measure.percentile(quiet, 0.50) / 1e6);
        add(medians, "no purge p99 ms", Measure.percentile(quiet, 0.99) / 1e6);
        add(medians, "no purge max ms", quiet[quiet.length - 1] / 1e6);
        add(medians, "purge p50 ms", Measure.percentile(busy, 0.50) / 1e6);
        add(medians, "purge p99 ms", Measure.percentile(busy, 0.99) / 1e6);
        add(medians, "purge p99.9 ms", Measure.percentile(busy, 0.999) / 1e6);
        add(medians, "purge max ms", busy[busy.length - 1] / 1e6);
        add(medians, "p99 ratio (purge / no purge)", ratio);
        add(medians, "purge seconds", purgeSeconds);
        add(medians, "drop() ms", dropNanos / 1e6);
        pooledQuiet.add(quiet);
        pooledBusy.add(busy);
      }
    }
    System.out.println();
    System.out.println("| figure | median of " + rounds + " rounds | rounds |");
    System.out.println("|---|---:|---|");
    for (var e : medians.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %s |%n",
          e.getKey(),
          Measure.median(e.getValue()),
          String.join(
              " ", e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList()));
    }
    Charts.bars(
        "purge",
        "Synchronous append latency, without and during a purge (ms, median of "
            + rounds
            + " rounds)",
        "ms",
        Charts.values(
            "p50, no purge",
            Measure.median(medians.get("no purge p50 ms")),
            "p50, during purge",
            Measure.median(medians.get("purge p50 ms")),
            "p99, no purge",
            Measure.median(medians.get("no purge p99 ms")),
            "p99, during purge",
            Measure.median(medians.get("purge p99 ms"))));
    long[] quiet = pool(pooledQuiet);
    long[] busy = pool(pooledBusy);
    System.out.printf(
        Locale.ROOT,
        "%npooled, no purge:     %s (%,d appends)%npooled, during purge: %s (%,d appends)%n"
            + "pooled p99 ratio %.2f%n",
        summary(quiet),
        quiet.length,
        summary(busy),
        busy.length,
        (double) Measure.percentile(busy, 0.99) / Math.max(1, Measure.percentile(quiet, 0.99)));
    System.out.println("load after: " + Measure.load());
  }

  private static long[] pool(List<long[]> runs) {
    long[] all = runs.stream().flatMapToLong(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  private static void add(Map<String, List<Double>> medians, String key, double value) {
    medians.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  /** Whether the purge queue is empty and no free page is left. */
  static boolean purged(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM purge) + (SELECT freelist_count FROM"
                    + " pragma_freelist_count)")) {
      rs.next();
      return rs.getLong(1) == 0;
    }
  }

  /** Whether a phase may end. */
  @FunctionalInterface
  private interface Done {
    boolean check();
  }

  /**
   * Appends one record per millisecond (a late one is sent at once, never skipped) until at least
   * {@code min} were timed and {@code done} says so; returns each call's duration in nanoseconds.
   */
  private static long[] timeAppends(
      EventStream<Map<String, Object>> s, Map<String, Object> value, int min, Done done)
      throws Exception {
    long[] lat = new long[min];
    int n = 0;
    long next = System.nanoTime();
    while (true) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long t0 = System.nanoTime();
      s.append(value);
      long took = System.nanoTime() - t0;
      if (n == lat.length) {
        lat = Arrays.copyOf(lat, lat.length * 2);
      }
      lat[n++] = took;
      next += PERIOD_NANOS;
      if (n >= min && done.check()) {
        return Arrays.copyOf(lat, n);
      }
    }
  }

  private static String summary(long[] sorted) {
    return String.format(
        Locale.ROOT,
        "p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
        Measure.percentile(sorted, 0.50) / 1e6,
        Measure.percentile(sorted, 0.99) / 1e6,
        Measure.percentile(sorted, 0.999) / 1e6,
        sorted[sorted.length - 1] / 1e6);
  }
}
