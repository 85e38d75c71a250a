package dev.sluice.bench;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.Inputs;
import dev.sluice.dataflow.KV;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Word count over generated text with the dataflow engine on 1 and 2 workers, against a plain
 * single-threaded {@code HashMap} loop applying the same split and the same reducer, in the same
 * process.
 *
 * <p>Usage: {@code java -cp sluice-bench/target/sluice-bench.jar dev.sluice.bench.DataflowBench
 * [megabytes] [runs] [warmups]} (defaults 64, 7, 3). The text is generated in memory from a fixed
 * seed: lines of 4 to 24 words drawn from a 50,000-word vocabulary with a skewed (Zipf-like)
 * distribution. Every round runs every scenario once, in an order rotated each round, so that drift
 * falls on all alike; the warm-up rounds are not counted and the median of the measured rounds is
 * reported. Every result is checked against the baseline's counts (outside the timing).
 */
public final class DataflowBench {
  private static final long SEED = 20_240_806L;
  private static final int VOCABULARY = 50_000;

  static final Dataflow<String, KV<String, Long>> WORD_COUNT =
      Dataflow.<String>builder()
          .flatMap(DataflowBench::words)
          .map(word -> KV.of(word, 1L))
          .reduceEpoch(Long::sum)
          .capture()
          .build();

  private DataflowBench() {}

  /** The split both sides use. */
  static List<String> words(String line) {
    return Arrays.asList(line.split(" "));
  }

  public static void main(String[] args) {
    int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;

    String loadBefore = loadAverage();
    List<String> lines = text(megabytes * 1_000_000L);
    long chars = 0;
    long words = 0;
    for (String line : lines) {
      chars += line.length() + 1;
      words += words(line).size();
    }
    Map<String, Long> expected = baseline(lines);

    Map<String, Scenario> scenarios = new LinkedHashMap<>();
    scenarios.put("plain HashMap loop (baseline)", DataflowBench::baseline);
    scenarios.put("dataflow run, 1 worker", l -> toMap(Execution.run(WORD_COUNT, batch(l))));
    scenarios.put("dataflow spawnCluster, 1x1 workers", l -> spawn(l, 1));
    scenarios.put("dataflow spawnCluster, 1x2 workers", l -> spawn(l, 2));
    scenarios.put(
        "dataflow runCluster, 1x2 workers",
        l -> toMap(Execution.runCluster(WORD_COUNT, batch(l), 1, 2)));

    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    scenarios.keySet().forEach(name -> seconds.put(name, new ArrayList<>()));
    List<Map.Entry<String, Scenario>> order = new ArrayList<>(scenarios.entrySet());
    for (int round = 0; round < warmups + runs; round++) {
      // Rotate the order every round, so that no scenario always runs after the same one.
      java.util.Collections.rotate(order, 1);
      for (Map.Entry<String, Scenario> scenario : order) {
        System.gc();
        long start = System.nanoTime();
        Map<String, Long> counts = scenario.getValue().count(lines);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!counts.equals(expected)) {
          throw new IllegalStateException(scenario.getKey() + " counted differently");
        }
        if (round >= warmups) {
          seconds.get(scenario.getKey()).add(elapsed);
        }
      }
    }

    System.out.println("dataflow word count (sluice-bench DataflowBench)");
    System.out.printf(
        Locale.ROOT,
        "payload: %.1f MB of generated text, %,d lines, %,d words, %,d distinct; seed %d%n",
        chars / 1e6,
        lines.size(),
        words,
        expected.size(),
        SEED);
    System.out.printf(
        Locale.ROOT,
        "runs: %d warm-up rounds, median of %d measured rounds; every scenario once per round%n",
        warmups,
        runs);
    System.out.println("cpu: " + Measure.cpu());
    System.out.println(
        "load average (1, 5, 15 min) before: " + loadBefore + "; after: " + loadAverage());
    System.out.println(
        "jvm: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB");
    double base = Measure.median(seconds.get("plain HashMap loop (baseline)"));
    double one = Measure.median(seconds.get("dataflow run, 1 worker"));
    for (Map.Entry<String, List<Double>> entry : seconds.entrySet()) {
      double median = Measure.median(entry.getValue());
      System.out.printf(
          Locale.ROOT,
          "%-38s median %7.3f s  %7.1f MB/s  %s words/s  vs baseline %5.2fx  vs 1 worker %5.2fx"
              + "  (min %.3f s; runs: %s)%n",
          entry.getKey(),
          median,
          chars / 1e6 / median,
          Measure.rate(words / median),
          base / median,
          one / median,
          entry.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0),
          format(entry.getValue()));
    }
    double two = Measure.median(seconds.get("dataflow spawnCluster, 1x2 workers"));
    System.out.println();
    System.out.println(
        "| scenario | median time | words/s | vs baseline | vs 1 worker | runs (s) |");
    System.out.println("|---|---:|---:|---:|---:|---|");
    Map<String, Double> bars = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> entry : seconds.entrySet()) {
      double median = Measure.median(entry.getValue());
      bars.put(entry.getKey(), Math.round(100 * base / median) / 100.0);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f s | %s | %.2f | %.2f | %s |%n",
          entry.getKey(),
          median,
          Measure.rate(words / median),
          base / median,
          one / median,
          format(entry.getValue()));
    }
    Charts.bars(
        "dataflow",
        "Dataflow word count vs a HashMap loop (ratio of medians of " + runs + " rounds)",
        "ratio to the HashMap loop",
        bars);
    System.out.printf(
        Locale.ROOT,
        "targets: 1 worker >= 30%% of baseline: %.0f%% (%s); 2 workers faster than 1: %.2fx (%s)%n",
        100 * base / one,
        base / one >= 0.30 ? "met" : "NOT met",
        one / two,
        one / two > 1 ? "met" : "NOT met");
  }

  private interface Scenario {
    Map<String, Long> count(List<String> lines);
  }

  static Iterable<Epoched<String>> batch(List<String> lines) {
    return Inputs.singleBatch(lines);
  }

  /** The baseline: one thread, one HashMap, the same split and reducer. */
  static Map<String, Long> baseline(List<String> lines) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : lines) {
      for (String word : words(line)) {
        counts.merge(word, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** spawnCluster: worker i reads the i-th contiguous share of the lines. */
  static Map<String, Long> spawn(List<String> lines, int workers) {
    List<List<Epoched<KV<String, Long>>>> outputs = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      outputs.add(new ArrayList<>());
    }
    Execution.spawnCluster(
        WORD_COUNT,
        (i, n) -> batch(lines.subList(lines.size() * i / n, lines.size() * (i + 1) / n)),
        (i, n) -> outputs.get(i)::add,
        1,
        workers);
    Map<String, Long> counts = new HashMap<>();
    for (List<Epoched<KV<String, Long>>> output : outputs) {
      for (Epoched<KV<String, Long>> pair : output) {
        counts.put(pair.item().key(), pair.item().value());
      }
    }
    return counts;
  }

  static Map<String, Long> toMap(List<Epoched<KV<String, Long>>> pairs) {
    Map<String, Long> counts = new HashMap<>();
    for (Epoched<KV<String, Long>> pair : pairs) {
      counts.put(pair.item().key(), pair.item().value());
    }
    return counts;
  }

  /** Deterministic text: Zipf-like word choice over a random vocabulary, ~100-character lines. */
  static List<String> text(long targetChars) {
    Random random = new Random(SEED);
    String[] vocabulary = new String[VOCABULARY];
    for (int i = 0; i < VOCABULARY; i++) {
      char[] word = new char[2 + random.nextInt(9)];
      for (int c = 0; c < word.length; c++) {
        word[c] = (char) ('a' + random.nextInt(26));
      }
      vocabulary[i] = new String(word);
    }
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    long chars = 0;
    while (chars < targetChars) {
      line.setLength(0);
      int count = 4 + random.nextInt(21);
      for (int w = 0; w < count; w++) {
        // The square of a uniform draw skews choices towards the front of the vocabulary.
        double u = random.nextDouble();
        line.append(w == 0 ? "" : " ").append(vocabulary[(int) (u * u * VOCABULARY)]);
      }
      lines.add(line.toString());
      chars += line.length() + 1;
    }
    return lines;
  }

  /** The system load averages from /proc/loadavg, or "unknown": other work on the machine. */
  private static String loadAverage() {
    try {
      String[] fields =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String format(List<Double> values) {
    StringBuilder out = new StringBuilder();
    for (double value : values) {
      out.append(out.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", value));
    }
    return out.toString();
  }
}
