package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The pipeline and word-count peers run on small inputs: each contender's output is checked against
 * the plain loop's inside the benchmark, which throws when one differs.
 */
class PeersInMemoryBenchTest {
  @Test
  void pipelinePeersAllGiveTheLoopsOutputInOrder() throws Exception {
    PeersPipelineBench.main(new String[] {"20000", "1", "1"});
    assertThat(Charts.directory().resolve("peers-pipeline.png")).exists();
  }

  @Test
  void wordCountPeersAllCountLikeTheLoop() throws Exception {
    PeersWordCountBench.main(new String[] {"1", "1", "1"});
    Path chart = Charts.directory().resolve("peers-wordcount.png");
    assertThat(chart).exists();
    byte[] png = Files.readAllBytes(chart);
    assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
