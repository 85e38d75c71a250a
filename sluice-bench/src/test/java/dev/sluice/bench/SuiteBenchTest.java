package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite runs benchmarks in JVMs of their own and gathers their tables and charts. */
class SuiteBenchTest {
  private static final SuiteBench.Entry WORDCOUNT =
      new SuiteBench.Entry(
          "peers-wordcount", "word count peers", List.of("1", "1", "1"), List.of("1", "1", "1"));

  @Test
  void reportHoldsEveryTableAndChartOfEachBenchmark(@TempDir Path out) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int failed =
        SuiteBench.run(
            List.of(WORDCOUNT), true, out, null, new PrintStream(console, true, "UTF-8"));

    assertThat(failed).isZero();
    String report = Files.readString(out.resolve("REPORT.md"));
    assertThat(report)
        .contains("## peers-wordcount: word count peers")
        .contains("java -jar sluice-bench/target/sluice-bench.jar peers-wordcount 1 1 1")
        .contains("| scenario | median time |")
        .contains("| HashMap loop (baseline) |")
        .contains("![peers-wordcount](charts/peers-wordcount.png)")
        .contains("load before:");
    assertThat(out.resolve("charts/peers-wordcount.png")).exists();
    assertThat(out.resolve("logs/peers-wordcount.log")).exists();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("[1/1] peers-wordcount 1 1 1: started")
        .contains("[1/1] peers-wordcount: finished in");
  }

  @Test
  void aFailingBenchmarkIsReportedAndTheSuiteGoesOn(@TempDir Path out) throws Exception {
    SuiteBench.Entry broken =
        new SuiteBench.Entry("peers-wordcount", "broken", List.of("x"), List.of("x"));
    SuiteBench.Entry kafka =
        new SuiteBench.Entry("kafka", "needs a broker", List.of(), List.of(), true);
    int failed =
        SuiteBench.run(
            List.of(broken, kafka, WORDCOUNT),
            true,
            out,
            null,
            new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"));

    assertThat(failed).isEqualTo(1);
    String report = Files.readString(out.resolve("REPORT.md"));
    assertThat(report)
        .contains("**FAILED** (exit 1)")
        .contains("skipped: needs a Kafka broker")
        .contains("| HashMap loop (baseline) |")
        .contains("Benchmarks: 3, failed: 1.");
  }
}
