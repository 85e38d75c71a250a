package dev.sluice.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Small helpers shared by the benchmarks: medians, the CPU as lscpu reports it. */
public final class Measure {
  private Measure() {}

  /** The median of the values. */
  public static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The model name, cores and threads per core from {@code lscpu}, or what could be read. */
  public static String cpu() {
    List<String> wanted =
        List.of("Model name", "CPU(s)", "Thread(s) per core", "Core(s) per socket", "Socket(s)");
    List<String> found = new ArrayList<>();
    try {
      Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          int colon = line.indexOf(':');
          if (colon > 0 && wanted.contains(line.substring(0, colon).trim())) {
            found.add(line.substring(0, colon).trim() + ": " + line.substring(colon + 1).trim());
          }
        }
      }
      p.waitFor();
    } catch (Exception e) {
      found.add(
          "lscpu unavailable ("
              + e
              + "); availableProcessors: "
              + Runtime.getRuntime().availableProcessors());
    }
    return String.join(", ", found);
  }

  /** The load averages (1, 5, 15 min) from {@code /proc/loadavg}, or "unknown". */
  public static String load() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** The value at quantile {@code q} (0..1) of sorted values, nearest rank. */
  public static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Formats a rate as records per second with thousands separators. */
  public static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  /**
   * The connection properties the embedded store uses, for baselines: generated keys off, as the
   * store sets them.
   */
  static java.util.Properties sqliteProperties() {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("jdbc.get_generated_keys", "false");
    return p;
  }

  /**
   * Prints a Markdown table of scenarios: median records/s, ratio to the first scenario (the
   * baseline), and every run.
   */
  public static void printRatios(java.util.Map<String, List<Double>> results) {
    double baseline = median(results.values().iterator().next());
    System.out.println();
    System.out.println("| scenario | records/s (median) | ratio to baseline | runs (records/s) |");
    System.out.println("|---|---:|---:|---|");
    for (var e : results.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.2f | %s |%n",
          e.getKey(),
          rate(m),
          m / baseline,
          String.join(" ", e.getValue().stream().map(Measure::rate).toList()));
    }
  }
}
