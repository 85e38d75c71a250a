package dev.sluice.bench;

import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.PipelineBuilder;
import dev.sluice.pipeline.Step;
import dev.sluice.spi.Sink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pipeline throughput against baselines measured in the same process (DESIGN §6).
 *
 * <ol>
 *   <li>Trivial: three cheap map steps, one worker each, over 10,000,000 boxed integers in batches,
 *       against a plain loop applying the same three lambdas into a list. Target: ≥ 25% of the
 *       loop's rate. The same pipeline with {@code chaining(true)} is reported beside it.
 *   <li>Trivial, stream mode: the same steps fed by a counting iterator into a summing sink,
 *       against the same loop; references: a one-thread loop that stores each step's boxes in batch
 *       arrays as the pipeline must, and the chained pipeline. Target: ≥ 25% of the loop's rate.
 *       {@code PipelineBench stream} runs this scenario alone and draws {@code
 *       pipeline-stream.png}.
 *   <li>CPU-heavy: one step that spends ~20 µs of arithmetic per item, with 1 and with 2 workers.
 *       Target: 2 workers ≥ 1.6× one worker on a machine with 2 physical cores.
 * </ol>
 *
 * <p>Each measurement: warm-up runs, then the median of {@code RUNS} timed runs, the contenders
 * alternating run by run so that a noisy neighbour hits both alike. Garbage left by earlier runs is
 * collected before each run, outside the timing; process CPU time is reported beside wall time, so
 * that a machine shared with other work shows (CPU close to wall means one core was used). Run with
 * {@code java -cp sluice-bench/target/sluice-bench.jar dev.sluice.bench.PipelineBench}.
 */
public final class PipelineBench {
  private static final int ITEMS = 10_000_000;
  private static final int BATCH = 1_000;
  private static final int QUEUE = 16_000;
  private static final int HEAVY_ITEMS = 20_000;
  private static final int HEAVY_ROUNDS = 12_000;
  private static final int WARMUP = 3;
  private static final int RUNS = 7;

  private static final Step<Integer, Integer> ADD = x -> x + 1;
  private static final Step<Integer, Integer> TIMES = x -> x * 3;
  private static final Step<Integer, Integer> XOR = x -> x ^ 0x5bd1e995;

  private static volatile long sink;

  /** Each scenario's ratio, for the closing table and chart. */
  private static final Map<String, Double> RATIOS = new LinkedHashMap<>();

  private PipelineBench() {}

  /**
   * Runs both scenarios and prints their figures.
   *
   * @param args none for every scenario; {@code stream} for the stream-mode scenario alone
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    printMachine();
    if (args.length > 0 && args[0].equals("stream")) {
      System.out.println("load average (1, 5, 15 min) before: " + Measure.load());
      trivialStream(trivialSteps().build(), trivialSteps().chaining(true).build());
      System.out.println("load average (1, 5, 15 min) after: " + Measure.load());
      return;
    }
    trivial();
    heavy();
    System.out.println();
    System.out.println("load after: " + Measure.load());
    System.out.println("| figure | ratio (medians of " + RUNS + " runs) |");
    System.out.println("|---|---:|");
    RATIOS.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %.2f |%n", k, v));
    Map<String, Double> bars = new LinkedHashMap<>();
    RATIOS.forEach((k, v) -> bars.put(k, Math.round(v * 100) / 100.0));
    Charts.bars("pipeline", "Pipeline vs a plain loop (ratio of medians)", "ratio", bars);
  }

  private static PipelineBuilder<Integer, Integer> trivialSteps() {
    return Pipeline.<Integer>builder()
        .step("add", ADD)
        .step("times", TIMES)
        .step("xor", XOR)
        .batchSize(BATCH)
        .queueSize(QUEUE);
  }

  private static void trivial() throws Exception {
    Pipeline<Integer, Integer> pipeline = trivialSteps().build();
    // the reference: the same three steps chained on one thread
    Pipeline<Integer, Integer> chained = trivialSteps().chaining(true).build();
    trivialList(pipeline, chained);
    trivialStream(pipeline, chained);
  }

  /**
   * Batch mode: a list of boxed integers in, a list out, as in {@code transform(window.data())}.
   * The same pipeline with {@code chaining(true)} runs beside it as a reference.
   */
  private static void trivialList(
      Pipeline<Integer, Integer> pipeline, Pipeline<Integer, Integer> chained) throws Exception {
    List<Integer> input = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      input.add(i);
    }
    if (!loop(input).equals(pipeline.transform(input))
        || !loop(input).equals(chained.transform(input))) {
      throw new AssertionError("pipeline and loop disagree");
    }
    System.out.printf(
        Locale.ROOT,
        "%nTrivial: 3 map steps (x+1, x*3, x^c), 1 worker each, %,d boxed Integers,"
            + " batchSize %d, queueSize %d, ordered%n",
        ITEMS,
        BATCH,
        QUEUE);
    long[] loopNanos = new long[RUNS];
    long[] pipeNanos = new long[RUNS];
    long[] chainedNanos = new long[RUNS];
    long[] loopCpu = new long[RUNS];
    long[] pipeCpu = new long[RUNS];
    long[] chainedCpu = new long[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
      long loop = timed(() -> consume(loop(input)), loopCpu, i);
      long pipe = timed(() -> consume(pipeline.transform(input)), pipeCpu, i);
      long together = timed(() -> consume(chained.transform(input)), chainedCpu, i);
      if (i >= 0) {
        loopNanos[i] = loop;
        pipeNanos[i] = pipe;
        chainedNanos[i] = together;
      }
    }
    double loopRate = rate(ITEMS, median(loopNanos));
    double pipeRate = rate(ITEMS, median(pipeNanos));
    report("plain loop", ITEMS, loopNanos, loopCpu);
    report("pipeline", ITEMS, pipeNanos, pipeCpu);
    report("chained", ITEMS, chainedNanos, chainedCpu);
    System.out.printf(
        Locale.ROOT,
        "  ratio pipeline/loop = %.2f (target >= 0.25: %s)%n",
        pipeRate / loopRate,
        pipeRate / loopRate >= 0.25 ? "met" : "NOT met");
    RATIOS.put("batch mode: pipeline / loop", pipeRate / loopRate);
    RATIOS.put("batch mode: chained / loop", rate(ITEMS, median(chainedNanos)) / loopRate);
    System.out.printf(
        Locale.ROOT,
        "  reference: chained pipeline/loop = %.2f (chaining(true): the 3 steps on one thread)%n",
        rate(ITEMS, median(chainedNanos)) / loopRate);
  }

  /**
   * The same steps in stream mode: integers counted up by an iterator, outputs folded by a sink;
   * nothing is retained, so the figure is the pipeline's cost rather than the collector's copying
   * of 20 million retained boxes.
   *
   * <p>Reference "boxed loop": the same work on the calling thread alone, but with each step's
   * outputs stored in a batch array of {@code BATCH} items, pass by pass, as the pipeline must
   * store them to hand them on. The plain loop's JIT keeps every intermediate {@code Integer} in a
   * register (escape analysis removes the four boxes per item); the boxed loop cannot, so it shows
   * what the boxes cost before any hand-over between threads. Reference "chained": the pipeline
   * with its three steps on one thread.
   */
  private static void trivialStream(
      Pipeline<Integer, Integer> pipeline, Pipeline<Integer, Integer> chained) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%nTrivial, stream mode: the same pipeline, feed = counting iterator over %,d Integers,"
            + " sink = sum; batchSize %d, queueSize %d, ordered; threads: feed + 3 steps +"
            + " caller (sink)%n",
        ITEMS,
        BATCH,
        QUEUE);
    long[] loopNanos = new long[RUNS];
    long[] boxedNanos = new long[RUNS];
    long[] pipeNanos = new long[RUNS];
    long[] chainedNanos = new long[RUNS];
    long[] loopCpu = new long[RUNS];
    long[] boxedCpu = new long[RUNS];
    long[] pipeCpu = new long[RUNS];
    long[] chainedCpu = new long[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
      Sum looped = new Sum();
      long loop =
          timed(
              () -> {
                for (Counter feed = new Counter(ITEMS); feed.hasNext(); ) {
                  looped.write(XOR.apply(TIMES.apply(ADD.apply(feed.next()))));
                }
              },
              loopCpu,
              i);
      Sum boxedSum = new Sum();
      long boxed = timed(() -> boxedLoop(new Counter(ITEMS), boxedSum), boxedCpu, i);
      Sum piped = new Sum();
      long pipe = timed(() -> pipeline.stream(new Counter(ITEMS), piped), pipeCpu, i);
      Sum chainedSum = new Sum();
      long together = timed(() -> chained.stream(new Counter(ITEMS), chainedSum), chainedCpu, i);
      if (looped.sum != piped.sum || looped.sum != boxedSum.sum || looped.sum != chainedSum.sum) {
        throw new AssertionError("pipeline and loop disagree");
      }
      if (i >= 0) {
        loopNanos[i] = loop;
        boxedNanos[i] = boxed;
        pipeNanos[i] = pipe;
        chainedNanos[i] = together;
      }
    }
    report("plain loop", ITEMS, loopNanos, loopCpu);
    report("boxed loop", ITEMS, boxedNanos, boxedCpu);
    report("pipeline", ITEMS, pipeNanos, pipeCpu);
    report("chained", ITEMS, chainedNanos, chainedCpu);
    double ratio = (double) median(loopNanos) / median(pipeNanos);
    double boxedRatio = (double) median(loopNanos) / median(boxedNanos);
    double chainedRatio = (double) median(loopNanos) / median(chainedNanos);
    RATIOS.put("stream mode: pipeline / loop", ratio);
    System.out.printf(
        Locale.ROOT,
        "  ratio pipeline/loop = %.3f (target >= 0.25: %s)%n",
        ratio,
        ratio >= 0.25 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "  reference: boxed loop/loop = %.3f (one thread, the same boxes, no hand-over);"
            + " pipeline/boxed loop = %.2f%n",
        boxedRatio,
        (double) median(boxedNanos) / median(pipeNanos));
    System.out.printf(
        Locale.ROOT,
        "  reference: chained pipeline/loop = %.3f (the 3 steps on one thread)%n",
        chainedRatio);
    Map<String, Double> bars = new LinkedHashMap<>();
    bars.put("pipeline", round3(ratio));
    bars.put("chained pipeline", round3(chainedRatio));
    bars.put("boxed loop, 1 thread", round3(boxedRatio));
    bars.put("target", 0.25);
    Charts.bars(
        "pipeline-stream",
        String.format(
            Locale.ROOT,
            "Stream mode, 3 trivial steps, %,d items: rate / plain loop's (load %s)",
            ITEMS,
            Measure.load()),
        "ratio to the plain loop",
        bars);
  }

  private static double round3(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  /**
   * The plain loop's work, with each step's outputs stored in a batch array, as a pipeline must.
   */
  private static void boxedLoop(Iterator<Integer> feed, Sum sum) throws Exception {
    while (feed.hasNext()) {
      Object[] batch = new Object[BATCH];
      int size = 0;
      while (size < BATCH && feed.hasNext()) {
        batch[size++] = feed.next();
      }
      for (int i = 0; i < size; i++) {
        batch[i] = ADD.apply((Integer) batch[i]);
      }
      for (int i = 0; i < size; i++) {
        batch[i] = TIMES.apply((Integer) batch[i]);
      }
      for (int i = 0; i < size; i++) {
        batch[i] = XOR.apply((Integer) batch[i]);
      }
      for (int i = 0; i < size; i++) {
        sum.write((Integer) batch[i]);
      }
    }
  }

  private static final class Counter implements Iterator<Integer> {
    private final int end;
    private int next;

    Counter(int end) {
      this.end = end;
    }

    @Override
    public boolean hasNext() {
      return next < end;
    }

    @Override
    public Integer next() {
      return next++;
    }
  }

  private static final class Sum implements Sink<Integer> {
    private long sum;

    @Override
    public void write(Integer value) {
      sum += value;
    }

    @Override
    public void writeAll(List<? extends Integer> values) {
      for (int i = 0; i < values.size(); i++) {
        sum += values.get(i);
      }
    }
  }

  private static List<Integer> loop(List<Integer> input) throws Exception {
    List<Integer> out = new ArrayList<>(input.size());
    for (Integer x : input) {
      out.add(XOR.apply(TIMES.apply(ADD.apply(x))));
    }
    return out;
  }

  private static void heavy() throws Exception {
    List<Integer> input = new ArrayList<>(HEAVY_ITEMS);
    for (int i = 0; i < HEAVY_ITEMS; i++) {
      input.add(i);
    }
    Pipeline<Integer, Long> one = heavyPipeline(1);
    Pipeline<Integer, Long> two = heavyPipeline(2);
    System.out.printf(
        Locale.ROOT,
        "%nCPU-heavy: 1 map step of %,d LCG rounds per item, %,d items, batchSize 10,"
            + " queueSize 100, ordered%n",
        HEAVY_ROUNDS,
        HEAVY_ITEMS);
    long[] loopNanos = new long[RUNS];
    long[] threadsNanos = new long[RUNS];
    long[] oneNanos = new long[RUNS];
    long[] twoNanos = new long[RUNS];
    long[] loopCpu = new long[RUNS];
    long[] threadsCpu = new long[RUNS];
    long[] oneCpu = new long[RUNS];
    long[] twoCpu = new long[RUNS];
    for (int i = -WARMUP; i < RUNS; i++) {
      long loop = timed(() -> consume(heavyLoop(input)), loopCpu, i);
      long threads = timed(() -> consume(heavyTwoThreads(input)), threadsCpu, i);
      long single = timed(() -> consume(one.transform(input)), oneCpu, i);
      long dual = timed(() -> consume(two.transform(input)), twoCpu, i);
      if (i >= 0) {
        loopNanos[i] = loop;
        threadsNanos[i] = threads;
        oneNanos[i] = single;
        twoNanos[i] = dual;
      }
    }
    report("plain loop", HEAVY_ITEMS, loopNanos, loopCpu);
    report("2 threads", HEAVY_ITEMS, threadsNanos, threadsCpu);
    report("1 worker", HEAVY_ITEMS, oneNanos, oneCpu);
    report("2 workers", HEAVY_ITEMS, twoNanos, twoCpu);
    double speedup = (double) median(oneNanos) / median(twoNanos);
    RATIOS.put("CPU-heavy: 2 workers / 1 worker", speedup);
    RATIOS.put(
        "CPU-heavy: 2 plain threads / loop", (double) median(loopNanos) / median(threadsNanos));
    System.out.printf(
        Locale.ROOT,
        "  speed-up 2 workers / 1 worker = %.2f (target >= 1.6 with 2 physical cores: %s)%n",
        speedup,
        speedup >= 1.6 ? "met" : "NOT met");
    System.out.printf(
        Locale.ROOT,
        "  reference: 2 plain threads / plain loop = %.2f (the parallelism this machine gave"
            + " now)%n",
        (double) median(loopNanos) / median(threadsNanos));
    System.out.printf(
        Locale.ROOT,
        "  1 worker / plain loop = %.2f%n",
        (double) median(loopNanos) / median(oneNanos));
  }

  /** The same work split in two halves on two plain threads: the ceiling for 2 workers. */
  private static List<Long> heavyTwoThreads(List<Integer> input) throws InterruptedException {
    int half = input.size() / 2;
    List<Long> first = new ArrayList<>(half);
    Thread helper = new Thread(() -> first.addAll(heavyLoop(input.subList(0, half))));
    helper.start();
    List<Long> second = heavyLoop(input.subList(half, input.size()));
    helper.join();
    first.addAll(second);
    return first;
  }

  private static Pipeline<Integer, Long> heavyPipeline(int workers) {
    return Pipeline.<Integer>builder()
        .step("heavy", workers, PipelineBench::spin)
        .batchSize(10)
        .queueSize(100)
        .build();
  }

  private static List<Long> heavyLoop(List<Integer> input) {
    List<Long> out = new ArrayList<>(input.size());
    for (Integer x : input) {
      out.add(spin(x));
    }
    return out;
  }

  /** About 20 µs of dependent arithmetic that the JIT cannot fold away. */
  private static Long spin(Integer seed) {
    long v = seed;
    for (int i = 0; i < HEAVY_ROUNDS; i++) {
      v = v * 6364136223846793005L + 1442695040888963407L;
      v ^= v >>> 29;
    }
    return v;
  }

  /** Times one run: garbage of earlier runs is collected first, outside the timing. */
  private static long timed(Body body, long[] cpu, int run) throws Exception {
    System.gc();
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    body.run();
    long wall = System.nanoTime() - start;
    if (run >= 0) {
      cpu[run] = processCpuNanos() - cpuStart;
    }
    return wall;
  }

  private interface Body {
    void run() throws Exception;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void consume(List<?> out) {
    sink += out.size() + out.get(out.size() / 2).hashCode();
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double rate(int items, long nanos) {
    return items * 1e9 / nanos;
  }

  private static void report(String what, int items, long[] nanos, long[] cpu) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "  %-11s median %8.1f ms = %,14.0f items/s   (min %.1f, max %.1f ms, %d runs;"
            + " process CPU median %.1f ms)%n",
        what,
        median(nanos) / 1e6,
        rate(items, median(nanos)),
        sorted[0] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        nanos.length,
        median(cpu) / 1e6);
  }

  private static void printMachine() {
    System.out.println("PipelineBench: warm-up " + WARMUP + " runs, median of " + RUNS + " runs");
    System.out.println(
        "JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024)
            + " MB, args "
            + ManagementFactory.getRuntimeMXBean().getInputArguments()
            + ", availableProcessors "
            + Runtime.getRuntime().availableProcessors());
    try {
      Process lscpu = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(lscpu.getInputStream(), StandardCharsets.UTF_8))) {
        lines
            .lines()
            .filter(
                line ->
                    line.startsWith("Model name")
                        || line.startsWith("CPU(s)")
                        || line.startsWith("Thread(s) per core")
                        || line.startsWith("Core(s) per socket")
                        || line.startsWith("Socket(s)")
                        || line.startsWith("Hypervisor vendor"))
            .forEach(line -> System.out.println("lscpu: " + line.replaceAll("\\s+", " ")));
      }
      lscpu.waitFor();
    } catch (Exception e) {
      System.out.println("lscpu: not available (" + e + ")");
    }
  }
}
