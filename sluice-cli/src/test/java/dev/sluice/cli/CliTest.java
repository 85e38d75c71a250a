package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  private record Result(int status, String out, String err) {}

  private Result sluice(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "--store");
    all.add(2, "sqlite:" + dir.resolve("store"));
    int status =
        Main.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
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
      assertThat(store.metadata("orders").orElseThrow().recordCount()).isZero();
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
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      text.append(i == 234 ? "{oops\n" : "{\"i\":" + i + "}\n");
    }
    Path file = Files.writeString(dir.resolve("bad.ndjson"), text);
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

    Result missing = sluice("info", "nope");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("no stream \"nope\"");

    Result noFile = sluice("append", "s", "--file", dir.resolve("absent").toString());
    assertThat(noFile.status()).isEqualTo(1);
    assertThat(noFile.err()).contains("no such file");
  }

  @Test
  void demoAppendsAndReadsBack() {
    Result r = sluice("demo", "--records", "5", "--interval", "PT0S");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("producer  appended  offset 4")
        .contains("reader    read      offset 4")
        .contains("done: 5 records appended and read back");
    Result again = sluice("demo", "--records", "3", "--interval", "PT0S");
    assertThat(again.out()).contains("(5 records already there)").contains("offset 7");
  }
}
