package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.cli.CliRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  private Result sluice(String... args) {
    return new CliRunner(dir.resolve("store")).run(args);
  }

  @Test
  void appendArgumentsThenListAndDescribeTheStream() {
    Result appended = sluice("append", "orders", "{\"id\":1}", "{\"id\":2}", "[3]");
    assertThat(appended.status()).isZero();
    assertThat(appended.out()).contains("appended 3 records to orders (offsets 0..2)");

    Result streams = sluice("streams");
    assertThat(streams.status()).isZero();
    assertThat(streams.out()).contains("STREAM").containsPattern("orders\\s+3\\s+0\\s+2");

    Result info = sluice("info", "orders");
    assertThat(info.status()).isZero();
    assertThat(info.out()).contains("records:      3").contains("last offset:  2");
  }

  @Test
  void anArgumentThatIsNotJsonAppendsNothing() {
    Result r = sluice("append", "orders", "{\"id\":1}", "{not json");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("argument 2 is not JSON").contains("nothing was appended");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      assertThat(store.metadata("orders")).isEmpty(); // not even created
    }
  }

  @Test
  void appendsAnNdjsonFileInAtomicBatchesWithAProgressBar() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 25_000; i++) {
      text.append("{\"i\":").append(i).append(",\"pad\":\"").append("x".repeat(40)).append("\"}\n");
    }
    Path file = Files.writeString(dir.resolve("in.ndjson"), text);
    Result r = sluice("append", "big", "--file", file.toString(), "--batch-size", "1000");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("appended 25000 records to big (offsets 0..24999)");
    assertThat(r.err()).contains("100%").contains("25,000 records");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      var records = store.stream("big").read(24_990, 100);
      assertThat(records).hasSize(10);
      assertThat(records.get(9).value()).containsEntry("i", 24_999);
    }
  }

  @Test
  void aBadLineStopsBeforeItsBatchAndSaysWhichLine() throws Exception {
    Path file = CliRunner.ndjsonWithABadLine(dir.resolve("bad.ndjson"), 250, 234);
    Result r = sluice("append", "s", "-f", file.toString(), "--batch-size", "100");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("line 235 is not JSON");
    assertThat(r.out()).contains("appended 200 records to s (offsets 0..199)");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      assertThat(store.metadata("s").orElseThrow().recordCount()).isEqualTo(200);
    }
  }

  @Test
  void badInputGetsAClearMessage() {
    Result name = sluice("append", "a b", "{}");
    assertThat(name.status()).isEqualTo(1);
    assertThat(name.err()).contains("stream name must match").contains("\"a b\"");

    sluice("append", "s", "{}");
    Result missing = sluice("info", "nope");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("no stream \"nope\"");

    Result noFile = sluice("append", "s", "--file", dir.resolve("absent").toString());
    assertThat(noFile.status()).isEqualTo(1);
    assertThat(noFile.err()).contains("no such file");
  }

  @Test
  void demoRunsAProducerAndAWindowedConsumerAtOnce() {
    Result r = sluice("demo", "--records", "250", "--batch", "50", "--interval", "0ms");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("250/250 records appended")
        .contains("consumer  window demo/0/1 ")
        .containsPattern("offsets\\s+200\\.\\.249\\s+50 records")
        .contains("250 records produced, 3 windows, 250 records consumed by group \"demo\", lag 0");
    Result again = sluice("demo", "--records", "100", "--batch", "100", "--interval", "0ms");
    assertThat(again.status()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("(250 records already there)")
        .containsPattern("offsets\\s+250\\.\\.349")
        .contains("lag 0");
  }

  private Store store() {
    return Sluice.open("sqlite:" + dir.resolve("store"));
  }

  @Test
  void tailPrintsRecordsAsNdjsonAndCommitsNothing() {
    try (Store store = store()) {
      var s = store.stream("orders");
      s.append(Map.of("id", 0));
      s.append("k1", Map.of("id", 1));
      s.append(Map.of("id", 2));
    }
    Result r = sluice("tail", "orders", "--from", "1");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("{\"offset\":1,\"timestamp\":\"")
        .endsWith("\"key\":\"k1\",\"value\":{\"id\":1}}");
    assertThat(sluice("tail", "orders", "--max", "1").out().lines()).hasSize(1);
    try (Store store = store()) {
      assertThat(store.stream("orders").groups()).isEmpty();
    }
    assertThat(sluice("tail", "nope").err()).contains("no stream \"nope\"");
    assertThat(sluice("tail", "orders", "--size", "2").err())
        .contains("--size and --every need --group");
  }

  @Test
  void tailWithAGroupPrintsReadyWindowsAndCommitsThem() {
    try (Store store = store()) {
      var s = store.stream("orders");
      for (int i = 0; i < 5; i++) {
        s.append(Map.of("id", i));
      }
    }
    Result r = sluice("tail", "orders", "--group", "g", "--size", "2");
    assertThat(r.status()).as(r.err()).isZero();
    List<String> windows = r.out().lines().toList();
    assertThat(windows).hasSize(2); // offset 4 waits for a second record
    assertThat(windows.get(0))
        .startsWith("{\"window\":\"g/0/1\",\"firstOffset\":0,\"lastOffset\":1,\"size\":2,")
        .endsWith("\"values\":[{\"id\":0},{\"id\":1}]}");
    assertThat(windows.get(1))
        .startsWith("{\"window\":\"g/0/2\",\"firstOffset\":2,\"lastOffset\":3,")
        .endsWith("\"values\":[{\"id\":2},{\"id\":3}]}");
    try (Store store = store()) {
      assertThat(store.stream("orders").groups())
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.name()).isEqualTo("g");
                assertThat(g.committed()).isEqualTo(4);
              });
    }
  }

  @Test
  void tailFollowWaitsForNewRecords() throws Exception {
    try (Store store = store()) {
      var s = store.stream("live");
      s.append(Map.of("n", 0));
      Result[] plain = new Result[1];
      Result[] grouped = new Result[1];
      Thread reader = new Thread(() -> plain[0] = sluice("tail", "live", "--follow", "--max", "3"));
      Thread consumer =
          new Thread(
              () ->
                  grouped[0] =
                      sluice(
                          "tail", "live", "--follow", "--group", "g", "--size", "3", "--max", "3"));
      reader.start();
      consumer.start();
      s.appendAll(List.of(Map.of("n", 1), Map.of("n", 2)));
      reader.join(20_000);
      consumer.join(20_000);
      assertThat(plain[0].out().lines())
          .hasSize(3)
          .last()
          .asString()
          .contains("\"value\":{\"n\":2}");
      assertThat(grouped[0].status()).as(grouped[0].err()).isZero();
      assertThat(grouped[0].out()).contains("\"lastOffset\":2,\"size\":3");
    }
  }

  @Test
  void dropDeletesAStream() {
    sluice("append", "gone", "{}", "{}");
    Result r = sluice("drop", "gone");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("dropped gone (2 records)");
    assertThat(sluice("info", "gone").status()).isEqualTo(1);
    assertThat(sluice("drop", "gone").err()).contains("no stream \"gone\"");
  }

  @Test
  void dlqListsAndReplaysDeadLettersOnce() {
    try (Store store = store()) {
      var s = store.stream("orders");
      for (int i = 0; i < 5; i++) {
        s.append("k" + i, Map.of("id", i));
      }
      var consumer = store.streaming("orders").retry(Retry.none());
      while (consumer.once(
          w -> {
            for (Map<String, Object> v : w.data()) {
              if (((Integer) v.get("id")) % 2 == 1) {
                throw new IllegalStateException("odd id " + v.get("id"));
              }
            }
          })) {
        // each record its own window; odd ones are dead-lettered
      }
      assertThat(store.metadata("orders.dlq").orElseThrow().recordCount()).isEqualTo(2);
    }
    Result list = sluice("dlq", "list", "orders");
    assertThat(list.status()).as(list.err()).isZero();
    assertThat(list.out())
        .containsPattern(
            "0\\s+1\\s+default/0/2\\s+1\\s+no\\s+java.lang.IllegalStateException: odd id 1")
        .contains("2 dead letters, 2 not replayed");

    Result dry = sluice("dlq", "replay", "orders", "--dry-run");
    assertThat(dry.out())
        .contains("would replay 2 dead letters to orders (orders.dlq offsets 0..1)");

    Result replay = sluice("dlq", "replay", "orders");
    assertThat(replay.status()).as(replay.err()).isZero();
    assertThat(replay.out())
        .contains("replayed 2 dead letters to orders (orders.dlq offsets 0..1)");
    try (Store store = store()) {
      var back = store.stream("orders").read(5, 10);
      assertThat(back).extracting(r -> r.key()).containsExactly("k1", "k3");
      assertThat(back).extracting(r -> r.value().get("id")).containsExactly(1, 3);
    }

    assertThat(sluice("dlq", "replay", "orders").out()).contains("replayed 0 dead letters");
    assertThat(sluice("dlq", "list", "orders").out()).contains(" yes ").contains("0 not replayed");
    assertThat(sluice("dlq", "list", "clean").err()).contains("no dead letters for \"clean\"");
  }
}
