package dev.sluice.bench;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.StreamingJob;
import dev.sluice.SyncMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Latency from append to the handler of a {@code size(1)} consumer.
 *
 * <ul>
 *   <li>{@code local}: in one process, a producer thread appends one record per millisecond (1,000
 *       records/s offered) carrying {@code System.nanoTime()}; the handler records now − sent.
 *   <li>{@code remote}: across two processes, ping-pong: this process appends to {@code ping} and
 *       waits for the matching record on {@code pong} (a {@code size(1)} job of its own); a child
 *       JVM consumes {@code ping} with {@code size(1)} and appends each record to {@code pong}. One
 *       ping outstanding at a time, the next sent 1 ms after the previous one or, if the round trip
 *       took longer, as soon as its pong arrives. Reported: round trip / 2.
 * </ul>
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar latency [samples=10000] [runs=5]
 * [local|remote|both]}.
 */
public final class LatencyBench {
  /** The pacing: one record per period (1 ms: 1,000 records/s); a property for experiments. */
  private static final long PERIOD_NANOS = Long.getLong("sluice.bench.periodMicros", 1_000) * 1_000;

  /** Workers of the in-process consumer (1); a property for experiments. */
  private static final int WORKERS = Integer.getInteger("sluice.bench.workers", 1);

  private static final String PAD = "user-0123 EUR 2026-11-22T04:00:00.000Z abcdefghij";

  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Path.of(args[1]));
      return;
    }
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String which = args.length > 2 ? args[2] : "both";
    int warmup = Math.max(1_000, samples / 5);
    System.out.printf(
        Locale.ROOT,
        "latency benchmark: size(1) consumer, 1 worker, sync NORMAL, payload ~%d-byte JSON,"
            + " %,d samples per run, 1 warm-up run of %,d + %d runs%n",
        jsonSize(message(1234, System.nanoTime())),
        samples,
        warmup,
        runs);
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    Path dir = Files.createTempDirectory("sluice-latency-bench");
    try {
      if (!which.equals("remote")) {
        local(dir.resolve("local"), samples, runs, warmup);
      }
      if (!which.equals("local")) {
        remote(dir.resolve("remote"), samples, runs, warmup);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static Map<String, Object> message(long seq, long sent) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("sent", sent);
    m.put("pad", PAD);
    return m;
  }

  /** The size of a message as JSON. */
  private static int jsonSize(Map<String, Object> m) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(m).length;
  }

  // ---------------------------------------------------------------- in one process

  private static void local(Path dir, int samples, int runs, int warmup) throws Exception {
    System.out.println();
    System.out.println(
        String.format(
            Locale.ROOT,
            "== in one process: append -> handler, producer thread paced at %,d records/s,"
                + " %d worker(s) ==",
            1_000_000_000L / PERIOD_NANOS,
            WORKERS));
    System.out.println("load before: " + Measure.load());
    List<long[]> all = new ArrayList<>();
    List<long[]> appendTimes = new ArrayList<>();
    try (Store store =
        Sluice.open("sqlite:" + dir, StoreOptions.defaults().sync(SyncMode.NORMAL))) {
      for (int run = 0; run <= runs; run++) {
        int n = run == 0 ? warmup : samples;
        long[] lat = new long[n];
        long[] app = new long[n];
        localRun(store, "local-" + run, lat, app);
        Arrays.sort(lat);
        Arrays.sort(app);
        System.out.printf(
            Locale.ROOT,
            "run %d%s: %s; append() call %s; load %s%n",
            run,
            run == 0 ? " (warm-up)" : "",
            summary(lat),
            summary(app),
            Measure.load());
        if (run > 0) {
          all.add(lat);
          appendTimes.add(app);
        }
      }
    }
    report("in one process, append -> handler", all, "latency-local");
    report(
        "in one process, the producer's append() call alone (context)",
        appendTimes,
        "latency-append-call");
  }

  private static void localRun(Store store, String name, long[] lat, long[] app) throws Exception {
    EventStream<Map<String, Object>> s = store.stream(name);
    AtomicInteger received = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    int n = lat.length;
    StreamingJob job =
        store
            .streaming(name)
            .group("g")
            .size(1)
            .workers(WORKERS)
            .start(
                window -> {
                  long now = System.nanoTime();
                  for (Map<String, Object> v : window.data()) {
                    int seq = ((Number) v.get("seq")).intValue();
                    lat[seq] = now - ((Number) v.get("sent")).longValue();
                    if (received.incrementAndGet() == n) {
                      done.countDown();
                    }
                  }
                });
    Thread producer =
        new Thread(
            () -> {
              long next = System.nanoTime();
              for (int i = 0; i < n; i++) {
                long now;
                while ((now = System.nanoTime()) < next) {
                  LockSupport.parkNanos(next - now);
                }
                long sent = System.nanoTime();
                s.append(message(i, sent));
                app[i] = System.nanoTime() - sent;
                next += PERIOD_NANOS;
              }
            },
            "producer");
    producer.start();
    producer.join();
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("received " + received.get() + " of " + n);
    }
    job.close();
  }

  // ---------------------------------------------------------------- across two processes

  private static void remote(Path dir, int samples, int runs, int warmup) throws Exception {
    System.out.println();
    System.out.println(
        "== across two processes: ping-pong, round trip / 2; one ping outstanding, next sent at"
            + " the later of pong arrival and 1 ms after the previous send ==");
    System.out.println("load before: " + Measure.load());
    Files.createDirectories(dir);
    List<long[]> all = new ArrayList<>();
    try (Store store =
        Sluice.open("sqlite:" + dir, StoreOptions.defaults().sync(SyncMode.NORMAL))) {
      EventStream<Map<String, Object>> ping = store.stream("ping");
      store.stream("pong").append(message(-1, 0)); // create both streams before the child
      ping.append(message(-1, 0));
      LinkedBlockingQueue<Long> pongs = new LinkedBlockingQueue<>();
      StreamingJob job =
          store
              .streaming("pong")
              .group("a")
              .size(1)
              .start(
                  window -> {
                    for (Map<String, Object> v : window.data()) {
                      pongs.add(((Number) v.get("seq")).longValue());
                    }
                  });
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  LatencyBench.class.getName(),
                  "--child",
                  dir.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line = out.readLine();
        if (!"ready".equals(line)) {
          throw new IllegalStateException("child said " + line);
        }
        long seq = 0;
        for (int run = 0; run <= runs; run++) {
          int n = run == 0 ? warmup : samples;
          long[] half = new long[n];
          long start = System.nanoTime();
          long next = start;
          for (int i = 0; i < n; i++) {
            long now;
            while ((now = System.nanoTime()) < next) {
              LockSupport.parkNanos(next - now);
            }
            long s = seq++;
            long sent = System.nanoTime();
            ping.append(message(s, sent));
            while (true) {
              Long got = pongs.poll(30, TimeUnit.SECONDS);
              if (got == null) {
                throw new IllegalStateException("no pong for " + s);
              }
              if (got == s) {
                break;
              }
            }
            half[i] = (System.nanoTime() - sent) / 2;
            next = sent + PERIOD_NANOS;
          }
          double secs = (System.nanoTime() - start) / 1e9;
          Arrays.sort(half);
          System.out.printf(
              Locale.ROOT,
              "run %d%s: %s; %.1f s, %.0f round trips/s; load %s%n",
              run,
              run == 0 ? " (warm-up)" : "",
              summary(half),
              secs,
              n / secs,
              Measure.load());
          if (run > 0) {
            all.add(half);
          }
        }
        child.getOutputStream().close();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
          child.destroy();
        }
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly();
        }
        job.close();
      }
    }
    report("across two processes, round trip / 2", all, "latency-remote");
  }

  /** The child JVM: echoes every record of {@code ping} to {@code pong} until stdin closes. */
  private static void child(Path dir) throws Exception {
    try (Store store =
        Sluice.open("sqlite:" + dir, StoreOptions.defaults().sync(SyncMode.NORMAL))) {
      EventStream<Map<String, Object>> pong = store.stream("pong");
      try (StreamingJob job =
          store
              .streaming("ping")
              .group("b")
              .size(1)
              .start(
                  window -> {
                    for (Map<String, Object> v : window.data()) {
                      pong.append(v);
                    }
                  })) {
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for the parent to close our stdin
        }
      }
    }
  }

  // ---------------------------------------------------------------- reporting

  private static String summary(long[] sorted) {
    return String.format(
        Locale.ROOT,
        "p50 %s, p99 %s, p99.9 %s, max %s (n=%,d)",
        ms(Measure.percentile(sorted, 0.50)),
        ms(Measure.percentile(sorted, 0.99)),
        ms(Measure.percentile(sorted, 0.999)),
        ms(sorted[sorted.length - 1]),
        sorted.length);
  }

  private static void report(String what, List<long[]> runs, String chart) {
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> p999 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    for (long[] r : runs) {
      p50.add((double) Measure.percentile(r, 0.50));
      p99.add((double) Measure.percentile(r, 0.99));
      p999.add((double) Measure.percentile(r, 0.999));
      max.add((double) r[r.length - 1]);
    }
    long[] pooled = runs.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    System.out.println();
    System.out.println("load after: " + Measure.load());
    System.out.println("| " + what + " | p50 | p99 | p99.9 | max |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.printf(
        Locale.ROOT,
        "| median of %d runs | %s | %s | %s | %s |%n",
        runs.size(),
        ms((long) Measure.median(p50)),
        ms((long) Measure.median(p99)),
        ms((long) Measure.median(p999)),
        ms((long) Measure.median(max)));
    System.out.printf(
        Locale.ROOT,
        "| all %,d samples pooled | %s | %s | %s | %s |%n",
        pooled.length,
        ms(Measure.percentile(pooled, 0.50)),
        ms(Measure.percentile(pooled, 0.99)),
        ms(Measure.percentile(pooled, 0.999)),
        ms(pooled[pooled.length - 1]));
    Charts.bars(
        chart,
        "Latency, " + what + " (ms, median of " + runs.size() + " runs)",
        "ms",
        Charts.values(
            "p50",
            Measure.median(p50) / 1e6,
            "p99",
            Measure.median(p99) / 1e6,
            "p99.9",
            Measure.median(p999) / 1e6,
            "max",
            Measure.median(max) / 1e6));
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
