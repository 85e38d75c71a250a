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
    GrowthBench.table(
        "| groups | per group records/s, median (ratio to 1 group) | total records/s | largest"
            + " lag | lag at producer end | runs (per group) | load |",
        "|---:|---:|---:|---:|---:|---|---|",
        rows);
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

  /** How the consumers of one processes-curve point share the work. */
  private enum Layout {
    ONE_GROUP("P processes, one group", "one group across processes"),
    OWN_GROUPS("P processes, a group each", "a group per process (no claim contention)"),
    THREADS("1 process, workers(P)", "one group, P workers in one process");

    final String label;
    final String legend;

    Layout(String label, String legend) {
      this.label = label;
      this.legend = legend;
    }
  }

  static void processes(Path dir, boolean full) throws Exception {
    int[] counts = full ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4};
    int records = full ? 200_000 : 100_000;
    List<byte[]> payload = GrowthBench.payloads();
    System.out.printf(
        Locale.ROOT,
        "processes: 1 → %d consumer processes (child JVMs on the same store), each one job"
            + " (size(%d), Codecs.bytes); per count and layout, %d warm-up runs (%d for the first"
            + " layout, while the children compile) + %d runs, each a fresh stream pre-filled with"
            + " %,d records (%.0f-byte JSON); timed from 'go' until every group has committed all;"
            + " total windows/s. Layouts: %s (the curve); %s; %s. sync NORMAL%n",
        counts[counts.length - 1],
        WINDOW,
        1,
        WARMUPS,
        GrowthBench.RUNS,
        records,
        GrowthBench.averageLength(payload),
        Layout.ONE_GROUP.label,
        Layout.OWN_GROUPS.label,
        Layout.THREADS.label);
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    List<String> rows = new ArrayList<>();
    int[] counter = {0};
    double first = 0;
    try (Store store = GrowthBench.open(dir)) {
      for (int n : counts) {
        List<Child> children = new ArrayList<>();
        try {
          for (int i = 0; i < n; i++) {
            children.add(new Child(dir));
          }
          for (Child c : children) {
            expect(c.out, "ready");
          }
          for (Layout layout : Layout.values()) {
            if (n == 1 && layout != Layout.ONE_GROUP) {
              continue; // the same as one process of one group
            }
            int warmups = layout == Layout.ONE_GROUP ? WARMUPS : 1;
            List<Double> rates = new ArrayList<>();
            String share = "";
            for (int run = 1 - warmups; run <= GrowthBench.RUNS; run++) {
              String[] windows = new String[1];
              double wps =
                  processRun(store, children, layout, n, records, payload, counter, windows);
              System.out.printf(
                  Locale.ROOT,
                  "  %d, %s, run %d%s: %.0f windows/s, windows per process %s; load %s%n",
                  n,
                  layout.label,
                  run,
                  run <= 0 ? " (warm-up)" : "",
                  wps,
                  windows[0],
                  Measure.load());
              if (run > 0) {
                rates.add(wps);
                if (run == 3) {
                  share = windows[0];
                }
              }
            }
            double m = Measure.median(rates);
            if (first == 0) {
              first = m;
            }
            if (n == 1) {
              for (Layout l : Layout.values()) {
                point(series, l.legend, n, m); // every layout starts at one process, one worker
              }
            } else {
              point(series, layout.legend, n, m);
            }
            String row =
                GrowthBench.f(
                    "| %d | %s | %.0f (%.2f) | %.0f | %s | %s | %s |",
                    n,
                    layout.label,
                    m,
                    m / first,
                    m / n,
                    String.join(" ", rates.stream().map(v -> GrowthBench.f("%.0f", v)).toList()),
                    share,
                    Measure.load());
            System.out.println(row);
            rows.add(row);
          }
        } finally {
          for (Child c : children) {
            c.close();
          }
        }
      }
    }
    GrowthBench.table(
        "| P | layout | total windows/s, median (ratio to 1 process) | per consumer | runs |"
            + " windows per process (run 3) | load |",
        "|---:|---|---:|---:|---|---|---|",
        rows);
    Charts.lines(
        "growth-processes",
        "Consumers of one store: total windows/s (size(" + WINDOW + ") windows)",
        "consumer processes or workers (P)",
        "windows/s",
        false,
        series);
  }

  /** One run of a processes layout; returns total windows/s and sets the windows per process. */
  private static double processRun(
      Store store,
      List<Child> children,
      Layout layout,
      int n,
      int records,
      List<byte[]> payload,
      int[] counter,
      String[] windowsOut)
      throws Exception {
    String name = "p" + counter[0]++;
    EventStream<byte[]> s = store.stream(name, Codecs.bytes());
    for (int done = 0; done < records; done += 1000) {
      s.appendAll(payload);
    }
    List<Child> active = layout == Layout.THREADS ? children.subList(0, 1) : children;
    List<String> groups = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < active.size(); i++) {
      String group = layout == Layout.OWN_GROUPS ? "g" + i : "g";
      int workers = layout == Layout.THREADS ? n : 1;
      active.get(i).in.println("go " + name + " " + group + " " + workers);
      if (!groups.contains(group)) {
        groups.add(group);
      }
    }
    for (Child c : active) {
      expect(c.out, "started");
    }
    while (true) {
      Map<String, Long> c = committed(s);
      boolean done = true;
      for (String g : groups) {
        done &= c.getOrDefault(g, 0L) >= records;
      }
      if (done) {
        break;
      }
      if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
        throw new IllegalStateException("consumers did not finish: " + c);
      }
      Thread.sleep(5);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    List<String> windows = new ArrayList<>();
    for (Child c : active) {
      c.in.println("stop");
      String line = c.out.readLine();
      if (line == null || !line.startsWith("stopped ")) {
        throw new IllegalStateException("child said " + line);
      }
      windows.add(line.substring("stopped ".length()));
    }
    windowsOut[0] = String.join("/", windows);
    return groups.size() * (records / (double) WINDOW) / secs;
  }

  /** A consumer child JVM on the store, driven through its stdin and stdout. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final BufferedReader out;
    final PrintWriter in;

    Child(Path dir) throws Exception {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  GrowthConsumers.class.getName(),
                  dir.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    @Override
    public void close() throws InterruptedException {
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
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
          String[] go = line.split(" ");
          job =
              store
                  .streaming(go[1], Codecs.bytes())
                  .group(go[2])
                  .workers(Integer.parseInt(go[3]))
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
