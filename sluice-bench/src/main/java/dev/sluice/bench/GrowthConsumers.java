package dev.sluice.bench;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer curves of {@link GrowthBench}: 1 → 100 consumer groups on one stream, and 1 → 8
 * consumer processes (child JVMs on the same store) of one group.
 */
final class GrowthConsumers {
  private GrowthConsumers() {}

  /** Each group's committed offset, by group name. */
  private static Map<String, Long> committed(EventStream<?> s) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (GroupMetadata g : s.groups()) {
      m.put(g.name(), g.committed());
    }
    return m;
  }

  // ------------------------------------------------------------------ groups

  static void groups(Path dir, boolean full) throws Exception {
    int[] counts = full ? new int[] {1, 10, 25, 50, 100} : new int[] {1, 5, 10, 25};
    int records = full ? 200_000 : 100_000;
    List<byte[]> payload = GrowthBench.payloads();
    System.out.printf(
        Locale.ROOT,
        "groups: 1 → %d consumer groups on one stream, each one job (size(1000), 1 worker,"
            + " Codecs.bytes) in this process; per count 1 warm-up + %d runs, each a fresh stream"
            + " into which one producer thread appends %,d records (appendAll of 1,000, %.0f-byte"
            + " JSON) while every group consumes; timed from the first append until every group"
            + " has committed all; lag = records appended but not committed, sampled every 50 ms"
            + " (the largest group's); sync NORMAL%n",
        counts[counts.length - 1],
        GrowthBench.RUNS,
        records,
        GrowthBench.averageLength(payload));
    Map<String, List<double[]>> rates = new LinkedHashMap<>();
    Map<String, List<double[]>> lags = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    int counter = 0;
    double firstPer = 0;
    try (Store store = GrowthBench.open(dir)) {
      for (int n : counts) {
        List<Double> perGroup = new ArrayList<>();
        List<Double> maxLag = new ArrayList<>();
        List<Double> endLag = new ArrayList<>();
        for (int run = 0; run <= GrowthBench.RUNS; run++) {
          String name = "g" + counter++;
          EventStream<byte[]> s = store.stream(name, Codecs.bytes());
          List<StreamingJob> jobs = new ArrayList<>();
          for (int g = 0; g < n; g++) {
            jobs.add(
                store.streaming(name, Codecs.bytes()).group("g" + g).size(1000).start(w -> {}));
          }
          AtomicLong producerDone = new AtomicLong();
          Thread producer =
              new Thread(
                  () -> {
                    for (int done = 0; done < records; done += 1000) {
                      s.appendAll(payload);
                    }
                    producerDone.set(System.nanoTime());
                  },
                  "producer");
          long start = System.nanoTime();
          producer.start();
          long worst = 0;
          long lagAtProducerEnd = -1;
          while (true) {
            long appended = s.metadata().nextOffset();
            Map<String, Long> c = committed(s);
            long min = c.size() < n ? 0 : c.values().stream().mapToLong(x -> x).min().orElse(0);
            worst = Math.max(worst, appended - min);
            if (lagAtProducerEnd < 0 && producerDone.get() != 0) {
              lagAtProducerEnd = appended - min;
            }
            if (min >= records) {
              break;
            }
            if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
              throw new IllegalStateException("groups did not finish in 10 minutes: " + c);
            }
            Thread.sleep(50);
          }
          double secs = (System.nanoTime() - start) / 1e9;
          producer.join();
          for (StreamingJob j : jobs) {
            j.close();
          }
          if (run > 0) {
            perGroup.add(records / secs);
            maxLag.add((double) worst);
            endLag.add((double) Math.max(0, lagAtProducerEnd));
          }
        }
        double per = Measure.median(perGroup);
        if (firstPer == 0) {
          firstPer = per;
        }
        point(rates, "per group, records/s", n, per);
        point(rates, "total over groups, records/s", n, per * n);
        point(lags, "largest lag seen, records", n, Measure.median(maxLag));
        point(lags, "lag when the producer finished, records", n, Measure.median(endLag));
        String row =
            GrowthBench.f(
                "| %d | %s (%.2f) | %s | %,.0f | %,.0f | %s | %s |",
                n,
                Measure.rate(per),
                per / firstPer,
                Measure.rate(per * n),
                Measure.median(maxLag),
                Measure.median(endLag),
                String.join(" ", perGroup.stream().map(Measure::rate).toList()),
                Measure.load());
        System.out.println(row);
        rows.add(row);
      }
    }
    System.out.println();
    System.out.println(
        "| groups | per group records/s, median (ratio to 1 group) | total records/s | largest"
            + " lag | lag at producer end | runs (per group) | load |");
    System.out.println("|---:|---:|---:|---:|---:|---|---|");
    rows.forEach(System.out::println);
    Charts.lines(
        "growth-groups",
        "Consumer groups on one stream: throughput (producer running alongside)",
        "consumer groups (log)",
        "records/s",
        true,
        rates);
    Charts.lines(
        "growth-groups-lag",
        "Consumer groups on one stream: lag",
        "consumer groups (log)",
        "records",
        true,
        lags);
  }

  private static void point(Map<String, List<double[]>> series, String name, double x, double y) {
    GrowthBench.point(series, name, x, y);
  }

  // ------------------------------------------------------------------ processes

  private static final int WINDOW = 100;

  /** Warm-up runs per process count: the child JVMs compile the consumer path during these. */
  private static final int WARMUPS = 3;

  static void processes(Path dir, boolean full) throws Exception {
    int[] counts = full ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4};
    int records = full ? 200_000 : 100_000;
    List<byte[]> payload = GrowthBench.payloads();
    System.out.printf(
        Locale.ROOT,
        "processes: 1 → %d consumer processes (child JVMs on the same store) of one group, each"
            + " one job (size(%d), 1 worker, Codecs.bytes); per count %d warm-up + %d runs, each a"
            + " fresh stream pre-filled with %,d records (%.0f-byte JSON); timed from 'go' until"
            + " the group has committed all; sync NORMAL%n",
        counts[counts.length - 1],
        WINDOW,
        WARMUPS,
        GrowthBench.RUNS,
        records,
        GrowthBench.averageLength(payload));
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    int counter = 0;
    double first = 0;
    try (Store store = GrowthBench.open(dir)) {
      for (int n : counts) {
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        List<PrintWriter> ins = new ArrayList<>();
        List<Double> windowRates = new ArrayList<>();
        List<String> shares = new ArrayList<>();
        try {
          for (int i = 0; i < n; i++) {
            Process p =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        GrowthConsumers.class.getName(),
                        dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            children.add(p);
            outs.add(
                new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            ins.add(
                new PrintWriter(
                    new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), true));
          }
          for (BufferedReader out : outs) {
            expect(out, "ready");
          }
          for (int run = 1 - WARMUPS; run <= GrowthBench.RUNS; run++) {
            String name = "p" + counter++;
            EventStream<byte[]> s = store.stream(name, Codecs.bytes());
            for (int done = 0; done < records; done += 1000) {
              s.appendAll(payload);
            }
            long start = System.nanoTime();
            for (PrintWriter in : ins) {
              in.println("go " + name);
            }
            for (BufferedReader out : outs) {
              expect(out, "started");
            }
            while (committed(s).getOrDefault("g", 0L) < records) {
              if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                throw new IllegalStateException("processes did not finish: " + committed(s));
              }
              Thread.sleep(5);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            List<String> windows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              ins.get(i).println("stop");
              String line = outs.get(i).readLine();
              if (line == null || !line.startsWith("stopped ")) {
                throw new IllegalStateException("child said " + line);
              }
              windows.add(line.substring("stopped ".length()));
            }
            double wps = records / (double) WINDOW / secs;
            System.out.printf(
                Locale.ROOT,
                "  %d processes, run %d%s: %.2f s, %.0f windows/s, windows per process %s; load"
                    + " %s%n",
                n,
                run,
                run <= 0 ? " (warm-up)" : "",
                secs,
                wps,
                windows,
                Measure.load());
            if (run > 0) {
              windowRates.add(wps);
              shares.add(String.join("/", windows));
            }
          }
        } finally {
          for (PrintWriter in : ins) {
            in.close();
          }
          for (Process p : children) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
              p.destroyForcibly();
            }
          }
        }
        double m = Measure.median(windowRates);
        if (first == 0) {
          first = m;
        }
        point(series, "total windows/s (size " + WINDOW + ")", n, m);
        point(series, "per process windows/s", n, m / n);
        String row =
            GrowthBench.f(
                "| %d | %.0f (%.2f) | %.0f | %s | %s | %s |",
                n,
                m,
                m / first,
                m / n,
                String.join(" ", windowRates.stream().map(v -> GrowthBench.f("%.0f", v)).toList()),
                shares.get(shares.size() / 2),
                Measure.load());
        System.out.println(row);
        rows.add(row);
      }
    }
    System.out.println();
    System.out.println(
        "| processes | total windows/s, median (ratio to 1) | per process | runs | windows per"
            + " process (one run) | load |");
    System.out.println("|---:|---:|---:|---|---|---|");
    rows.forEach(System.out::println);
    Charts.lines(
        "growth-processes",
        "Consumer processes of one group on one store (size(" + WINDOW + ") windows)",
        "consumer processes",
        "windows/s",
        false,
        series);
  }

  private static void expect(BufferedReader out, String word) throws Exception {
    String line = out.readLine();
    if (!word.equals(line)) {
      throw new IllegalStateException("child said " + line + ", expected " + word);
    }
  }

  /**
   * A consumer process: opens the store in {@code args[0]}, says "ready"; on "go NAME" starts a job
   * of group {@code g} on stream NAME and says "started"; on "stop" closes it and says "stopped
   * WINDOWS"; ends when stdin closes.
   */
  public static void main(String[] args) throws Exception {
    try (Store store = GrowthBench.open(Path.of(args[0]));
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("ready");
      System.out.flush();
      StreamingJob job = null;
      AtomicLong windows = new AtomicLong();
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("go ")) {
          windows.set(0);
          job =
              store
                  .streaming(line.substring(3), Codecs.bytes())
                  .group("g")
                  .size(WINDOW)
                  .start(w -> windows.incrementAndGet());
          System.out.println("started");
        } else if (line.equals("stop") && job != null) {
          job.close();
          job = null;
          System.out.println("stopped " + windows.get());
        }
        System.out.flush();
      }
      if (job != null) {
        job.close();
      }
    }
  }
}
