package dev.sluice.bench;

import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Step;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Chained against unchained pipelines ({@code chaining(true)}, the default, against {@code
 * chaining(false)}) in the three regimes that decide which is faster; the figures behind the
 * default documented in docs/PIPELINE.md. No baseline loop here: the two layouts are each other's
 * reference, measured alternately in the same process.
 *
 * <ol>
 *   <li>Small batches: 3 cheap map steps, one worker each, {@code batchSize(1)} (the default), 4
 *       runs at once over 200,000 items each, as when a pipeline is the window handler of several
 *       consumer workers.
 *   <li>Large batches: the same steps, {@code batchSize(1000)}, 4 runs at once over 2,500,000 items
 *       each (all cores busy).
 *   <li>Costly steps: 3 map steps of 1,000 LCG rounds (~2 µs) per item, one worker each, {@code
 *       batchSize(10)}, one run over 100,000 items (cores free for the steps to overlap).
 *   <li>Short runs: the 3 cheap steps, {@code batchSize(1)}, 2,000 runs of 100 items one after the
 *       other, as when a pipeline handles every small window of a consumer: thread start and
 *       hand-over dominate.
 * </ol>
 *
 * <p>Each figure is the median of 5 timed runs after 2 warm-up runs, with process CPU time beside
 * it. Run with {@code java -cp sluice-bench/target/sluice-bench.jar
 * dev.sluice.bench.PipelineChainingBench}.
 */
public final class PipelineChainingBench {
  private static final int WARMUP = 2;
  private static final int RUNS = 5;
  private static final int COSTLY_ROUNDS = 1_000;
  private static final int SHORT_RUNS = 2_000;

  private static final Step<Integer, Integer> ADD = x -> x + 1;
  private static final Step<Integer, Integer> TIMES = x -> x * 3;
  private static final Step<Integer, Integer> XOR = x -> x ^ 0x5bd1e995;
  private static final Step<Integer, Integer> COSTLY = PipelineChainingBench::spin;

  private static volatile long sink;

  private PipelineChainingBench() {}

  /**
   * Runs the three scenarios and prints their figures.
   *
   * @param args ignored
   * @throws Exception if a run fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println(
        "PipelineChainingBench: warm-up "
            + WARMUP
            + " runs, median of "
            + RUNS
            + " runs; availableProcessors "
            + Runtime.getRuntime().availableProcessors());
    compare("small batches: 3 cheap steps, batchSize 1, 4 runs x 200,000 items", 1, 200_000, 4, 1);
    compare(
        "large batches: 3 cheap steps, batchSize 1000, 4 runs x 2,500,000 items",
        1_000,
        2_500_000,
        4,
        1);
    compare(
        "costly steps: 3 steps of " + COSTLY_ROUNDS + " LCG rounds, batchSize 10, 1 run x 100,000",
        10,
        100_000,
        1,
        COSTLY_ROUNDS);
    compare(
        "short runs: 3 cheap steps, batchSize 1, 2,000 runs x 100 items in turn",
        1,
        100,
        1,
        1,
        SHORT_RUNS);
  }

  private static void compare(String title, int batch, int items, int runs, int rounds)
      throws Exception {
    compare(title, batch, items, runs, rounds, 1);
  }

  /**
   * Times {@code runs} concurrent callers, each calling {@code transform} {@code repeats} times in
   * turn, for the chained and the unchained pipeline alternately.
   */
  private static void compare(String title, int batch, int items, int runs, int rounds, int repeats)
      throws Exception {
    List<Integer> input = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      input.add(i);
    }
    Pipeline<Integer, Integer> chained = pipeline(true, batch, rounds);
    Pipeline<Integer, Integer> unchained = pipeline(false, batch, rounds);
    System.out.printf(Locale.ROOT, "%n%s%n", title);
    long[][] nanos = new long[2][RUNS];
    long[][] cpu = new long[2][RUNS];
    ExecutorService callers = Executors.newFixedThreadPool(runs);
    try {
      for (int i = -WARMUP; i < RUNS; i++) {
        for (int k = 0; k < 2; k++) {
          Pipeline<Integer, Integer> p = k == 0 ? chained : unchained;
          System.gc();
          long cpuStart = processCpuNanos();
          long start = System.nanoTime();
          List<Future<Integer>> done = new ArrayList<>();
          for (int r = 0; r < runs; r++) {
            done.add(
                callers.submit(
                    () -> {
                      int out = 0;
                      for (int n = 0; n < repeats; n++) {
                        out += p.transform(input).size();
                      }
                      return out;
                    }));
          }
          for (Future<Integer> run : done) {
            sink += run.get();
          }
          if (i >= 0) {
            nanos[k][i] = System.nanoTime() - start;
            cpu[k][i] = processCpuNanos() - cpuStart;
          }
        }
      }
    } finally {
      callers.shutdown();
    }
    report("chained", nanos[0], cpu[0]);
    report("unchained", nanos[1], cpu[1]);
    System.out.printf(
        Locale.ROOT,
        "  unchained time / chained time = %.2f%n",
        (double) median(nanos[1]) / median(nanos[0]));
  }

  private static Pipeline<Integer, Integer> pipeline(boolean chaining, int batch, int rounds) {
    return Pipeline.<Integer>builder()
        .step("a", rounds > 1 ? COSTLY : ADD)
        .step("b", rounds > 1 ? COSTLY : TIMES)
        .step("c", rounds > 1 ? COSTLY : XOR)
        .batchSize(batch)
        .queueSize(Math.max(1_000, 16 * batch))
        .chaining(chaining)
        .build();
  }

  /** About 2 µs of dependent arithmetic that the JIT cannot fold away. */
  private static Integer spin(Integer seed) {
    long v = seed;
    for (int i = 0; i < COSTLY_ROUNDS; i++) {
      v = v * 6364136223846793005L + 1442695040888963407L;
      v ^= v >>> 29;
    }
    return (int) v;
  }

  private static void report(String what, long[] nanos, long[] cpu) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "  %-9s median %8.1f ms   (min %.1f, max %.1f ms; process CPU median %.1f ms)%n",
        what,
        median(nanos) / 1e6,
        sorted[0] / 1e6,
        sorted[sorted.length - 1] / 1e6,
        median(cpu) / 1e6);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
