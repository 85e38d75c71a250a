package dev.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the benchmarks one after another and writes one Markdown report with every table and chart:
 * {@code java -jar sluice-bench/target/sluice-bench.jar suite [--quick] [--out DIR] [--only
 * a,b,...] [--kafka HOST:PORT]} (or {@code scripts/bench.sh}, which builds the jar first).
 *
 * <p>Each benchmark runs in a JVM of its own (the same class path, Chronicle Queue's JDK 17 flags,
 * {@code -Dsluice.bench.charts=DIR/charts}), so that one benchmark's heap and JIT state do not
 * colour the next. Its output goes to the console, prefixed with its name, and to {@code
 * DIR/logs/NAME.log}; the report {@code DIR/REPORT.md} takes from it the machine and load lines,
 * every Markdown table, every chart it drew, and its exit status. A benchmark that fails is
 * reported and the suite goes on; the suite's exit status is the number of benchmarks that failed.
 *
 * <p>{@code --quick} runs every benchmark with small sizes (a smoke run of the whole suite in a few
 * minutes; not figures to publish). To add a benchmark, add one {@link Entry} to {@link #ENTRIES}.
 */
public final class SuiteBench {
  /**
   * One benchmark of the suite: its name in {@link BenchMain}, what it measures, and its arguments
   * for a full and for a quick run. {@code needsKafka} entries run only with {@code --kafka}, whose
   * address becomes their first argument.
   */
  record Entry(
      String name, String what, List<String> full, List<String> quick, boolean needsKafka) {
    Entry(String name, String what, List<String> full, List<String> quick) {
      this(name, what, full, quick, false);
    }
  }

  /** The suite, in the order it runs. One line per benchmark; other branches add theirs. */
  static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              "append",
              "appending to the embedded store vs raw sqlite-jdbc",
              List.of("5"),
              List.of("5")),
          new Entry(
              "consumer",
              "produce + consume end to end vs raw insert",
              List.of("5"),
              List.of("5", "100000", "50000")),
          new Entry(
              "latency",
              "append → window latency, in one process and across two",
              List.of("10000", "5", "both"),
              List.of("2000", "5", "local")),
          new Entry(
              "purge",
              "appends while a dropped stream is purged",
              List.of("5"),
              List.of("5", "50000", "2000", "60")),
          new Entry(
              "server",
              "HTTP ingest vs the embedded appendAll",
              List.of("5"),
              List.of("5", "2000")),
          new Entry("pipeline", "staged pipeline vs a plain loop", List.of(), List.of()),
          new Entry(
              "dataflow",
              "dataflow word count vs a HashMap loop",
              List.of(),
              List.of("8", "5", "1")),
          new Entry(
              "postgres",
              "the postgresql:// store vs raw JDBC",
              List.of("append", "5"),
              List.of("append", "5")),
          new Entry(
              "kafka",
              "the Kafka store vs the raw Kafka client",
              List.of("5"),
              List.of("5", "20000"),
              true),
          new Entry(
              "dataflow-kafka",
              "dataflow word count on Kafka Streams vs a hand-written Kafka Streams word count",
              List.of("5"),
              List.of("3", "10000"),
              true),
          new Entry(
              "peers-log",
              "persisted append + consume: Sluice vs Chronicle Queue vs Artemis",
              List.of(),
              List.of("5", "50000", "20000")),
          new Entry(
              "peers-pipeline",
              "pipeline vs parallel streams vs Reactor",
              List.of(),
              List.of("2000000", "5", "1")),
          new Entry(
              "peers-wordcount",
              "dataflow word count vs groupingByConcurrent",
              List.of(),
              List.of("8", "5", "1")),
          new Entry(
              "growth",
              "cost as streams, groups, processes, record size and records grow",
              List.of("all"),
              List.of("streams")),
          new Entry(
              "idle",
              "CPU of waiting consumers: 1, 10 and 100 in one JVM and across processes",
              List.of("60", "5", "1,10,100", "both"),
              List.of("10", "1", "1,10", "one")));

  private static final Pattern CHART = Pattern.compile("^chart: (.+\\.png)\\s*$");

  /** Lines worth quoting beside the tables: machine, load, payload, results, targets, ratios. */
  private static final Pattern CONTEXT =
      Pattern.compile(
          "(?i)^(cpu|jvm|lscpu|load|payload|machine|runs?|result|targets?)\\b.*"
              + "|.*\\bload (before|after)\\b.*|.*\\b(ratio|speed-up)\\b.*=.*|^Sluice .* / .*");

  private SuiteBench() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Path out = Path.of("bench-report");
    List<String> only = null;
    String kafka = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(value(args, ++i, "--out"));
        case "--only" -> only = Arrays.asList(value(args, ++i, "--only").split(","));
        case "--kafka" -> kafka = value(args, ++i, "--kafka");
        default ->
            throw new IllegalArgumentException(
                "usage: suite [--quick] [--out DIR] [--only a,b] [--kafka HOST:PORT]; unknown"
                    + " argument: "
                    + args[i]);
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (Entry e : ENTRIES) {
      if (only == null || only.contains(e.name())) {
        entries.add(e);
      }
    }
    if (only != null && entries.size() != only.size()) {
      throw new IllegalArgumentException(
          "--only names benchmarks of the suite: "
              + ENTRIES.stream().map(Entry::name).toList()
              + "; got "
              + only);
    }
    int failed = run(entries, quick, out, kafka, System.out);
    System.exit(Math.min(failed, 100));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /**
   * Runs the entries and writes {@code out/REPORT.md}; returns how many failed. Progress lines go
   * to {@code console}.
   */
  static int run(List<Entry> entries, boolean quick, Path out, String kafka, PrintStream console)
      throws IOException, InterruptedException {
    Path charts = out.resolve("charts");
    Path logs = out.resolve("logs");
    Files.createDirectories(charts);
    Files.createDirectories(logs);
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String loadBefore = Measure.load();
    StringBuilder body = new StringBuilder();
    int failed = 0;
    int index = 0;
    for (Entry entry : entries) {
      index++;
      List<String> args = new ArrayList<>(quick ? entry.quick() : entry.full());
      if (entry.needsKafka()) {
        if (kafka == null) {
          console.printf(
              Locale.ROOT,
              "[%d/%d] %s: skipped (needs a broker: --kafka HOST:PORT)%n",
              index,
              entries.size(),
              entry.name());
          body.append(
                  section(
                      entry,
                      args,
                      "skipped: needs a Kafka broker, run the suite with"
                          + " `--kafka HOST:PORT` (see docs/BENCHMARKS.md, Kafka)",
                      List.of(),
                      charts))
              .append('\n');
          continue;
        }
        args.add(0, kafka);
      }
      console.printf(
          Locale.ROOT,
          "[%d/%d] %s%s: started at %s (load %s)%n",
          index,
          entries.size(),
          entry.name(),
          args.isEmpty() ? "" : " " + String.join(" ", args),
          Instant.now().truncatedTo(ChronoUnit.SECONDS),
          Measure.load());
      long start = System.nanoTime();
      Path log = logs.resolve(entry.name() + ".log");
      int exit = runOne(entry.name(), args, charts, log, console);
      Duration took = Duration.ofNanos(System.nanoTime() - start).truncatedTo(ChronoUnit.SECONDS);
      String status =
          exit == 0
              ? "finished in " + took.toSeconds() + " s"
              : "**FAILED** (exit " + exit + ") after " + took.toSeconds() + " s";
      if (exit != 0) {
        failed++;
      }
      console.printf(Locale.ROOT, "[%d/%d] %s: %s%n", index, entries.size(), entry.name(), status);
      body.append(section(entry, args, status, Files.readAllLines(log), charts)).append('\n');
    }
    StringBuilder report = new StringBuilder();
    report.append("# Sluice benchmark report\n\n");
    report
        .append("Run of ")
        .append(started)
        .append(" to ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(quick ? ", **quick** (small sizes: a smoke run, not figures to publish)" : "")
        .append(".\n\n");
    report.append("* Machine: ").append(Measure.cpu()).append('\n');
    report
        .append("* JVM: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append('\n');
    report
        .append("* Load average (1, 5, 15 min) before: ")
        .append(loadBefore)
        .append("; after: ")
        .append(Measure.load())
        .append('\n');
    report
        .append("* Benchmarks: ")
        .append(entries.size())
        .append(", failed: ")
        .append(failed)
        .append(". Every figure is a ratio to a baseline measured in the same process;")
        .append(" each benchmark's full output is in `logs/`.\n\n");
    report.append(body);
    Files.writeString(out.resolve("REPORT.md"), report.toString(), StandardCharsets.UTF_8);
    console.println("report: " + out.resolve("REPORT.md"));
    return failed;
  }

  /** Runs one benchmark in a JVM of its own; its output goes to the log and the console. */
  private static int runOne(
      String name, List<String> args, Path charts, Path log, PrintStream console)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(PeersLogBench.JVM_FLAGS);
    command.add("-Dsluice.bench.charts=" + charts.toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchMain.class.getName());
    command.add(name);
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        w.write(line);
        w.write('\n');
        w.flush();
        console.println("  " + name + " | " + line);
      }
    }
    return p.waitFor();
  }

  /** The report's section of one benchmark: status, command, context lines, tables, charts. */
  static String section(
      Entry entry, List<String> args, String status, List<String> log, Path charts) {
    StringBuilder s = new StringBuilder();
    s.append("## ").append(entry.name()).append(": ").append(entry.what()).append("\n\n");
    s.append("```sh\njava -jar sluice-bench/target/sluice-bench.jar ")
        .append(entry.name())
        .append(args.isEmpty() ? "" : " " + String.join(" ", args))
        .append("\n```\n\n");
    s.append(status)
        .append(log.isEmpty() ? "" : "; output: `logs/" + entry.name() + ".log`")
        .append(".\n\n");
    List<String> context = new ArrayList<>();
    List<String> images = new ArrayList<>();
    boolean inTable = false;
    StringBuilder tables = new StringBuilder();
    for (String line : log) {
      String trimmed = line.strip();
      if (trimmed.startsWith("|") && trimmed.endsWith("|")) {
        tables.append(trimmed).append('\n');
        inTable = true;
        continue;
      }
      if (inTable) {
        tables.append('\n');
        inTable = false;
      }
      Matcher chart = CHART.matcher(trimmed);
      if (chart.matches()) {
        String file = Path.of(chart.group(1)).getFileName().toString();
        if (Files.exists(charts.resolve(file)) && !images.contains(file)) {
          images.add(file);
        }
      } else if (CONTEXT.matcher(trimmed).matches() && context.size() < 20) {
        context.add(trimmed);
      }
    }
    if (!context.isEmpty()) {
      s.append("```text\n").append(String.join("\n", context)).append("\n```\n\n");
    }
    if (tables.length() > 0) {
      s.append(tables.toString().strip()).append("\n\n");
    }
    for (String file : images) {
      String chart = file.substring(0, file.length() - ".png".length());
      s.append("![").append(chart).append("](charts/").append(file).append(")\n\n");
    }
    return s.toString();
  }
}
