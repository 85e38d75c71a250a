package dev.sluice.bench;

import dev.sluice.dataflow.Execution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dataflow word count against Java streams' {@code groupingByConcurrent} on 1 and 2 threads, in
 * the same process and run (issue 18 item 3).
 *
 * <p>Work: DataflowBench's word count of generated text (same seed, same split {@code line.split("
 * ")}, counts checked against the baseline's). Contenders: the plain {@code HashMap} loop (the
 * baseline); the dataflow {@code run} (1 worker) and {@code spawnCluster} 1×2 (worker {@code i}
 * reads the {@code i}-th half of the lines); a sequential stream and a parallel stream in a {@code
 * ForkJoinPool} of 2, both {@code flatMap(words).collect(groupingByConcurrent(word, counting()))}.
 *
 * <p>Usage: {@code java -jar sluice-bench/target/sluice-bench.jar peers-wordcount [megabytes=32]
 * [runs=5] [warm-ups=2]}.
 */
public final class PeersWordCountBench {
  private PeersWordCountBench() {}

  public static void main(String[] args) throws Exception {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<String> lines = DataflowBench.text(megabytes * 1_000_000L);
    long words = 0;
    for (String line : lines) {
      words += DataflowBench.words(line).size();
    }
    Map<String, Long> expected = DataflowBench.baseline(lines);
    ForkJoinPool pool = new ForkJoinPool(2);

    Map<String, PeersRounds.Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("HashMap loop (baseline)", () -> DataflowBench.baseline(lines));
    scenarios.put(
        "Sluice dataflow, 1 worker",
        () ->
            DataflowBench.toMap(
                Execution.run(DataflowBench.WORD_COUNT, DataflowBench.batch(lines))));
    scenarios.put("Sluice dataflow, 2 workers", () -> DataflowBench.spawn(lines, 2));
    scenarios.put("groupingByConcurrent, 1 thread", () -> streamCount(lines, false));
    scenarios.put(
        "groupingByConcurrent, 2 threads", () -> pool.submit(() -> streamCount(lines, true)).get());

    System.out.printf(
        Locale.ROOT,
        "peers-wordcount: %,d lines, %,d words, %,d distinct (DataflowBench's text, %d MB);"
            + " %d warm-up rounds, median of %d rounds, order rotated per round%n",
        lines.size(),
        words,
        expected.size(),
        megabytes,
        warmups,
        runs);
    Map<String, List<Double>> seconds =
        PeersRounds.measure(
            scenarios,
            warmups,
            runs,
            expected,
            words,
            "words",
            "peers-wordcount",
            "Word count (ratio to a plain HashMap loop, higher is faster)");
    pool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "Sluice dataflow / Java streams: 1 thread %.2f, 2 threads %.2f%n",
        PeersRounds.median(seconds, "groupingByConcurrent, 1 thread")
            / PeersRounds.median(seconds, "Sluice dataflow, 1 worker"),
        PeersRounds.median(seconds, "groupingByConcurrent, 2 threads")
            / PeersRounds.median(seconds, "Sluice dataflow, 2 workers"));
  }

  private static Map<String, Long> streamCount(List<String> lines, boolean parallel) {
    return (parallel ? lines.parallelStream() : lines.stream())
        .flatMap(line -> DataflowBench.words(line).stream())
        .collect(Collectors.groupingByConcurrent(Function.identity(), Collectors.counting()));
  }
}
