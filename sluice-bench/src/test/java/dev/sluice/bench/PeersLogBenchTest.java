package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every peer of the persisted append + consume comparison does the whole work, once. */
class PeersLogBenchTest {
  private static final int RECORDS = 5_000;

  private static List<Map<String, Object>> payloads() {
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (int i = 0; i < PeersLogBench.BATCH; i++) {
      payloads.add(ConsumerBench.payload(i));
    }
    return payloads;
  }

  @Test
  void everyPeerDeliversAndCommitsEveryRecord(@TempDir Path dir) throws Exception {
    List<String> names = new ArrayList<>();
    int i = 0;
    for (PeersLogBench.Peer peer : PeersLogBench.peers()) {
      // the run checks the consumer's sum of ids against the records appended
      ConsumerBench.Result r = peer.run(dir.resolve("peer-" + i++), payloads(), RECORDS);
      assertThat(r.rate()).as(peer.name()).isPositive();
      assertThat(peer.durability()).as(peer.name()).isNotBlank();
      names.add(peer.name());
    }
    assertThat(names)
        .containsExactly(
            "Sluice (SQLite) NORMAL",
            "Chronicle Queue 5.25ea16",
            "Artemis 2.40.0, sync off",
            "Sluice (SQLite) FULL",
            "Artemis 2.40.0, sync on");
  }

  @Test
  void aConsumerThatMissesRecordsFailsTheRun() {
    assertThatThrownBy(
            () ->
                PeersLogBench.endToEnd(
                    payloads(), 2 * PeersLogBench.BATCH, () -> batch -> {}, () -> window -> 0L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sum of ids 0 != ");
  }
}
