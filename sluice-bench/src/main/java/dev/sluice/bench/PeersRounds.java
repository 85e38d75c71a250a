package dev.sluice.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The in-memory peers benchmarks' harness: every round runs every scenario once, after a {@code
 * System.gc()}, in an order rotated every round; warm-up rounds are not counted; each result is
 * checked outside the timing. Then a Markdown table of medians and ratios to the first scenario
 * (the baseline), and a bar chart of those ratios.
 */
final class PeersRounds {
  /** One contender: does the whole work once and returns its result, to be checked. */
  interface Scenario {
    Object run() throws Exception;
  }

  /** Checks one scenario's result against the baseline's; throws when they differ. */
  interface Check {
    void check(String scenario, Object result) throws Exception;
  }

  private PeersRounds() {}

  /**
   * Runs the rounds, checking every result against {@code expected} (the baseline's), then prints
   * the machine, the table and the chart; returns each scenario's seconds, in scenario order.
   */
  static Map<String, List<Double>> measure(
      Map<String, Scenario> scenarios,
      int warmups,
      int runs,
      Object expected,
      long items,
      String unit,
      String chart,
      String title)
      throws Exception {
    String loadBefore = Measure.load();
    Map<String, List<Double>> seconds =
        seconds(
            scenarios,
            warmups,
            runs,
            (name, result) -> {
              if (!expected.equals(result)) {
                throw new IllegalStateException(name + " gave another result than the baseline");
              }
            });
    printMachine(loadBefore);
    report(seconds, items, unit, chart, title);
    return seconds;
  }

  /** Runs the rounds; returns each scenario's measured wall-clock seconds, in scenario order. */
  static Map<String, List<Double>> seconds(
      Map<String, Scenario> scenarios, int warmups, int runs, Check check) throws Exception {
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    scenarios.keySet().forEach(name -> seconds.put(name, new ArrayList<>()));
    List<Map.Entry<String, Scenario>> order = new ArrayList<>(scenarios.entrySet());
    for (int round = 0; round < warmups + runs; round++) {
      for (Map.Entry<String, Scenario> scenario : order) {
        System.gc();
        long start = System.nanoTime();
        Object result = scenario.getValue().run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        check.check(scenario.getKey(), result);
        if (round >= warmups) {
          seconds.get(scenario.getKey()).add(elapsed);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "round %d of %d%s done; load %s%n",
          round + 1,
          warmups + runs,
          round < warmups ? " (warm-up)" : "",
          Measure.load());
      Collections.rotate(order, 1);
    }
    return seconds;
  }

  /**
   * Prints the table (median seconds, items/s, ratio to the first scenario, every run) and draws
   * the ratios as the chart {@code chart}.
   */
  static void report(
      Map<String, List<Double>> seconds, long items, String unit, String chart, String title) {
    double base = Measure.median(seconds.values().iterator().next());
    System.out.printf(
        Locale.ROOT,
        "| scenario | median time | %s/s (median) | ratio to the first row | fastest run |"
            + " runs (s) |%n",
        unit);
    System.out.println("|---|---:|---:|---:|---:|---|");
    Map<String, Double> bars = new LinkedHashMap<>();
    for (var e : seconds.entrySet()) {
      double m = Measure.median(e.getValue());
      bars.put(e.getKey(), Math.round(100 * base / m) / 100.0);
      StringBuilder runs = new StringBuilder();
      for (double v : e.getValue()) {
        runs.append(runs.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", v));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f s | %s | %.2f | %.3f s | %s |%n",
          e.getKey(),
          m,
          Measure.rate(items / m),
          base / m,
          e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0),
          runs);
    }
    Charts.bars(chart, title, "ratio to " + seconds.keySet().iterator().next(), bars);
  }

  /** The machine line every peers benchmark prints. */
  static void printMachine(String loadBefore) {
    System.out.println("CPU: " + Measure.cpu());
    System.out.println(
        "JVM: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.version")
            + ", max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB, availableProcessors "
            + Runtime.getRuntime().availableProcessors());
    System.out.println("load before: " + loadBefore + "; after: " + Measure.load());
  }

  static double median(Map<String, List<Double>> seconds, String scenario) {
    return Measure.median(seconds.get(scenario));
  }
}
