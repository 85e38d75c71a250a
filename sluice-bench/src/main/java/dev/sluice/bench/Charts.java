package dev.sluice.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the benchmarks' tables as PNG charts, rendered by the benchmark itself (XChart, headless).
 *
 * <p>Charts go to the directory named by the system property {@code sluice.bench.charts}, by
 * default {@code docs/bench} under the working directory, so a run from the repository root
 * refreshes the pictures that docs/BENCHMARKS.md shows. Each method returns the file it wrote and
 * prints one line naming it.
 */
public final class Charts {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 450;

  private Charts() {}

  /** The directory charts are written to, created when missing. */
  public static Path directory() {
    Path dir = Path.of(System.getProperty("sluice.bench.charts", "docs/bench"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the chart directory " + dir, e);
    }
    return dir;
  }

  /**
   * A bar chart of one value per label, in the map's order (use a {@link java.util.LinkedHashMap}).
   *
   * @param name the file name without {@code .png}, for example {@code peers-append}
   * @param title the chart's title, saying what was measured and the unit
   * @param yLabel the value axis label, for example {@code records/s} or {@code ratio to raw
   *     SQLite}
   * @param bars label to value
   */
  public static Path bars(String name, String title, String yLabel, Map<String, Double> bars) {
    System.setProperty("java.awt.headless", "true");
    int longest = bars.keySet().stream().mapToInt(String::length).max().orElse(0);
    boolean rotate = bars.size() > 4 || longest * bars.size() > 90;
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            // rotated labels take height from the bars: give it back
            .height(rotate ? HEIGHT + 4 * Math.min(longest, 60) : HEIGHT)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("#,##0.##");
    chart.getStyler().setXAxisLabelRotation(rotate ? 30 : 0);
    chart.addSeries(yLabel, new ArrayList<>(bars.keySet()), new ArrayList<>(bars.values()));
    return write(chart, name);
  }

  /**
   * A line chart of one or more series over a shared x axis: how a cost grows with the work.
   *
   * @param name the file name without {@code .png}, for example {@code growth-streams}
   * @param title the chart's title
   * @param xLabel the x axis label, with its unit
   * @param yLabel the y axis label, with its unit
   * @param logX whether the x axis is logarithmic (1 → 10,000 streams, 100 B → 1 MB)
   * @param series series name to its points, each point {@code {x, y}}
   */
  public static Path lines(
      String name,
      String title,
      String xLabel,
      String yLabel,
      boolean logX,
      Map<String, List<double[]>> series) {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setXAxisLogarithmic(logX);
    for (var e : series.entrySet()) {
      double[] xs = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] ys = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      chart.addSeries(e.getKey(), xs, ys);
    }
    return write(chart, name);
  }

  /**
   * The bars of {@link #bars}, given as label, value, label, value, ... in order.
   *
   * @param labelsAndValues alternating {@code String} labels and {@code Number} values
   */
  static Map<String, Double> values(Object... labelsAndValues) {
    Map<String, Double> bars = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < labelsAndValues.length; i += 2) {
      bars.put((String) labelsAndValues[i], ((Number) labelsAndValues[i + 1]).doubleValue());
    }
    return bars;
  }

  private static Path write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String name) {
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "a chart name is lower-case letters, digits and dashes; got '" + name + "'");
    }
    Path file = directory().resolve(name + ".png");
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + file, e);
    }
    System.out.println("chart: " + file);
    return file;
  }
}
