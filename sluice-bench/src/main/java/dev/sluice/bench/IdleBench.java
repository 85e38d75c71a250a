package dev.sluice.bench;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What an idle consumer costs: CPU per waiting {@code size(1)} group consumer of an SQLite store
 * with nothing appended, as a share of one core.
 *
 * <ul>
 *   <li>{@code one JVM}: one child JVM runs N consumers (groups {@code g0..gN-1} of one stream).
 *   <li>{@code processes}: N child JVMs run one consumer each, on the same store.
 *   <li>baseline, in the same run: one child JVM with the store open and no consumer; a consumer's
 *       cost is its JVM's CPU above the baseline's.
 * </ul>
 *
 * <p>Each consumer first handles the one record of the stream, then waits. After a warm-up, the
 * children's CPU time (utime + stime from {@code /proc/PID/stat}) is read at the start and the end
 * of each of {@code runs} consecutive slices of the window, summed over every thread but the JIT
 * compiler's ({@code -Dsluice.bench.withJit=true} counts them too). The figure is the whole window
 * (one clock tick of 10 ms in 60 s is 0.017 % of a core); the median slice is printed beside it.
 * Children run with {@code -Xmx64m -XX:+UseSerialGC}.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar idle [seconds=60] [runs=5]
 * [counts=1,10,100] [one|processes|both]}.
 */
public final class IdleBench {
  private static final long HZ = 100; // USER_HZ of /proc/PID/stat on Linux
  private static final int WARMUP_SECONDS = Integer.getInteger("sluice.bench.idleWarmup", 10);

  /** Whether the JIT compiler's threads count (-Dsluice.bench.withJit=true; default false). */
  private static final boolean WITH_JIT = Boolean.getBoolean("sluice.bench.withJit");

  private IdleBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Integer.parseInt(args[2]));
      return;
    }
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Integer> counts = new ArrayList<>();
    for (String c : (args.length > 2 ? args[2] : "1,10,100").split(",")) {
      counts.add(Integer.parseInt(c));
    }
    String which = args.length > 3 ? args[3] : "both";
    System.out.printf(
        Locale.ROOT,
        "idle benchmark: size(1) group consumers waiting on an SQLite store (sync NORMAL), nothing"
            + " appended; %d s warm-up, then a %d s window (in %d slices, median slice printed too)%n",
        WARMUP_SECONDS,
        seconds,
        runs);
    System.out.println(
        WITH_JIT
            ? "CPU of every thread of the child JVMs"
            : "CPU of every thread of the child JVMs but the JIT compiler's (C1/C2 CompilerThread)");
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println("load before: " + Measure.load());
    Path dir = Files.createTempDirectory("sluice-idle-bench");
    try {
      String url = "sqlite:" + dir.resolve("store");
      try (Store store = Sluice.open(url)) {
        store.stream("s").append(Map.of("n", 0));
      }
      double[] b = measure(url, List.of(0), seconds, runs);
      double base = b[1];
      System.out.printf(
          Locale.ROOT,
          "baseline: one JVM with the store open, no consumer: %.3f %% of a core (median slice"
              + " %.3f %%) (load %s)%n",
          base,
          b[0],
          Measure.load());
      Map<String, List<double[]>> series = new LinkedHashMap<>();
      Map<String, Double> bars = new LinkedHashMap<>();
      if (!which.equals("processes")) {
        List<double[]> points = new ArrayList<>();
        for (int n : counts) {
          double[] m = measure(url, List.of(n), seconds, runs);
          double total = m[1];
          double per = (total - base) / n;
          points.add(new double[] {n, per});
          bars.put(n + " in one JVM", per);
          System.out.printf(
              Locale.ROOT,
              "one JVM, %3d consumers: JVM %.3f %% (median slice %.3f %%), above baseline %.3f %%,"
                  + " per consumer %.4f %% of a core (load %s)%n",
              n,
              total,
              m[0],
              total - base,
              per,
              Measure.load());
        }
        series.put("N consumers in one JVM", points);
      }
      if (!which.equals("one")) {
        List<double[]> points = new ArrayList<>();
        for (int n : counts) {
          List<Integer> each = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            each.add(1);
          }
          double[] m = measure(url, each, seconds, runs);
          double total = m[1];
          double per = total / n - base;
          points.add(new double[] {n, per});
          bars.put(n + " processes", per);
          System.out.printf(
              Locale.ROOT,
              "%3d processes of 1 consumer: all JVMs %.3f %% (median slice %.3f %%), per JVM %.3f %%,"
                  + " per consumer above baseline %.4f %% of a core (load %s)%n",
              n,
              total,
              m[0],
              total / n,
              per,
              Measure.load());
        }
        series.put("one consumer per JVM, N JVMs", points);
      }
      System.out.println(
          "charts: "
              + Charts.lines(
                  "idle-cost",
                  "CPU of one idle consumer (above an idle JVM with the store open)",
                  "idle consumers",
                  "% of a core per consumer",
                  true,
                  series)
              + ", "
              + Charts.bars(
                  "idle-cost-bars",
                  "CPU per idle consumer, % of a core (target ≤ 0.2)",
                  "% of a core",
                  bars));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Starts one child JVM per entry of {@code consumers} (that many consumers each), waits until all
   * are idle, warms up, and returns {median slice, whole window} of their summed CPU in % of a
   * core.
   */
  private static double[] measure(String url, List<Integer> consumers, int seconds, int runs)
      throws Exception {
    List<Process> children = new ArrayList<>();
    try {
      for (int n : consumers) {
        children.add(start(url, n));
      }
      for (Process p : children) {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"idle".equals(line)) {
          throw new IllegalStateException("a child did not get idle: " + line);
        }
      }
      Thread.sleep(WARMUP_SECONDS * 1_000L);
      List<Double> slices = new ArrayList<>();
      long sliceMillis = seconds * 1_000L / runs;
      long first = ticks(children);
      long from = first;
      long startedAt = System.nanoTime();
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        Thread.sleep(sliceMillis);
        long to = ticks(children);
        double secs = (System.nanoTime() - t0) / 1e9;
        slices.add(100.0 * (to - from) / HZ / secs);
        from = to;
      }
      double whole = 100.0 * (from - first) / HZ / ((System.nanoTime() - startedAt) / 1e9);
      return new double[] {Measure.median(slices), whole};
    } finally {
      for (Process p : children) {
        p.getOutputStream().close(); // the child stops when its standard input ends
      }
      for (Process p : children) {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  private static Process start(String url, int consumers) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            IdleBench.class.getName(),
            "--child",
            url,
            String.valueOf(consumers))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /**
   * The summed utime + stime of the processes' threads, in clock ticks, with or without the JIT
   * compiler's threads ({@code C1/C2 CompilerThread}: a young JVM's warm-up, not a consumer's cost;
   * when 100 JVMs start on 2 cores they compile for minutes).
   */
  private static long ticks(List<Process> processes) throws Exception {
    long sum = 0;
    for (Process p : processes) {
      try (Stream<Path> tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"));
          } catch (java.io.IOException gone) {
            continue; // the thread ended
          }
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (!WITH_JIT && name.contains("CompilerThre")) {
            continue;
          }
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
        }
      }
    }
    return sum;
  }

  /** A child: N consumers that handle the stream's one record, then wait until stdin ends. */
  private static void child(String url, int consumers) throws Exception {
    try (Store store = Sluice.open(url)) {
      CountDownLatch handled = new CountDownLatch(consumers);
      List<StreamingJob> jobs = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        jobs.add(
            store
                .streaming("s")
                .group("g" + ProcessHandle.current().pid() + "-" + i)
                .size(1)
                .start(w -> handled.countDown()));
      }
      if (!handled.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the consumers did not handle the first record");
      }
      System.out.println("idle");
      System.out.flush();
      while (System.in.read() >= 0) {
        // waits for the parent to close standard input
      }
      for (StreamingJob j : jobs) {
        j.close();
      }
    }
  }
}
