package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's sources-and-sinks example loads a file and writes one line per window. */
class SourcesAndSinksTest {
  @TempDir Path dir;

  @Test
  void loadsAFileAndWritesOneSummaryLinePerWindow() throws Exception {
    Path in =
        Files.writeString(
            dir.resolve("readings.ndjson"),
            IntStream.range(0, 300)
                .mapToObj(i -> "{\"i\":" + i + "}\n")
                .collect(Collectors.joining()));
    Path out = dir.resolve("summaries.ndjson");
    try (Store store = Sluice.open("mem:")) {
      assertThat(SourcesAndSinks.loadAndSummarize(store, in, out, 3)).isEqualTo(3);
    }
    assertThat(Files.readAllLines(out))
        .hasSize(3)
        .allMatch(line -> line.contains("\"records\":100"));
  }
}
