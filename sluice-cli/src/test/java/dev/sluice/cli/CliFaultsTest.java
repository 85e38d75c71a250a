package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Retry;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.cli.CliRunner.Result;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: what a new user hits in the first hour, through the CLI. */
class CliFaultsTest {
  @TempDir Path dir;

  private CliRunner cli() {
    return new CliRunner(dir.resolve("store"));
  }

  private Result sluice(String... args) {
    return cli().run(args);
  }

  private Store store() {
    return Sluice.open(cli().url());
  }

  private boolean exists(String stream) {
    if (!Files.exists(dir.resolve("store"))) {
      return false;
    }
    try (Store s = store()) {
      return s.metadata(stream).isPresent();
    }
  }

  private static void await(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Result withStdin(byte[] input, Supplier<Result> command) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(input));
    try {
      return command.get();
    } finally {
      System.setIn(original);
    }
  }

  /** Appends one record to {@code orders} and dead-letters it. */
  private void deadLetterOneOrder() {
    try (Store s = store()) {
      s.stream("orders").append(Map.of("id", 1));
      s.streaming("orders")
          .retry(Retry.none())
          .once(
              w -> {
                throw new IllegalStateException("poison");
              });
    }
  }

  // ---- item 2

  @Test
  void trailingContentAfterAJsonValueIsAnErrorAndNothingIsAppended() throws Exception {
    Result two = sluice("append", "t", "{\"a\":1}{\"b\":2}");
    assertThat(two.status()).isEqualTo(1);
    assertThat(two.err())
        .startsWith("sluice: argument 1 holds more than one JSON value: more follows the first");
    Result junk = sluice("append", "t", "{\"a\":0}", "{\"a\":1} xyz");
    assertThat(junk.status()).isEqualTo(1);
    assertThat(junk.err())
        .contains("argument 2 is not JSON: Unrecognized token 'xyz'")
        .contains("nothing was appended");
    assertThat(exists("t")).isFalse();

    Path file = Files.writeString(dir.resolve("two.ndjson"), "{\"a\":0}\n{\"a\":1}{\"a\":2}\n");
    Result line = sluice("append", "t", "--file", file.toString());
    assertThat(line.status()).isEqualTo(1);
    assertThat(line.err())
        .startsWith("sluice: " + file + " line 2 holds more than one JSON value")
        .contains("nothing was appended");
    assertThat(exists("t")).isFalse();
  }

  // ---- item 3

  @Test
  void numbersRoundTripExactlyThroughAppendAndTail() {
    String value =
        "{\"big\":1E+400,\"tiny\":1E-400,\"long\":12345678901234567890.123456789,"
            + "\"int\":123456789012345678901234567890,\"d\":1.5}";
    assertThat(sluice("append", "n", value).status()).isZero();
    Result tail = sluice("tail", "n");
    assertThat(tail.out()).contains("\"value\":" + value + "}");
    try (Store s = store()) {
      Map<String, Object> stored = s.stream("n").read(0, 1).get(0).value();
      assertThat(stored.get("big")).isEqualTo(new java.math.BigDecimal("1e400"));
      assertThat(stored.get("tiny")).isEqualTo(new java.math.BigDecimal("1e-400"));
    }
  }

  // ---- item 4

  @Test
  void aPlainFollowerNoticesThatItsStreamWasDroppedAndCreatedAgain() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try (Store s = store()) {
      var stream = s.stream("s");
      for (int i = 0; i < 3; i++) {
        stream.append(Map.of("old", i));
      }
      int[] status = {-1};
      Thread follower =
          new Thread(
              () ->
                  status[0] =
                      CliRunner.raw(
                          out, err, "tail", "s", "--store", cli().url(), "--follow", "--max", "8"));
      follower.start();
      await(() -> out.toString().lines().count() == 3);
      s.drop("s");
      var again = s.stream("s");
      for (int i = 0; i < 5; i++) {
        again.append(Map.of("new", i));
      }
      follower.join(30_000);
      assertThat(status[0]).as(err.toString()).isZero();
    }
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(8);
    for (int i = 0; i < 5; i++) {
      assertThat(lines.get(3 + i))
          .startsWith("{\"offset\":" + i + ",")
          .endsWith("\"value\":{\"new\":" + i + "}}");
    }
    assertThat(err.toString()).contains("sluice: s was dropped");
  }

  // ---- item 5

  @Test
  void anEmptyArgumentIsAnErrorNotANullRecord() {
    for (String empty : List.of("", "   ")) {
      Result r = sluice("append", "s", empty);
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).startsWith("sluice: argument 1 is empty");
    }
    Result stdin = withStdin(new byte[0], () -> sluice("append", "s"));
    assertThat(stdin.status()).isEqualTo(1);
    assertThat(stdin.err()).contains("no JSON values in standard input");
    assertThat(exists("s")).isFalse();
  }

  // ---- item 9 and 17 (demo)

  @Test
  void aSecondDemoOnTheSameStoreIsRefusedAtOnceAndTheFirstReportsOnlyItsOwnNumbers()
      throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] status = {-1};
    Thread first =
        new Thread(
            () ->
                status[0] =
                    CliRunner.raw(
                        out,
                        err,
                        "demo",
                        "--store",
                        cli().url(),
                        "--records",
                        "200",
                        "--batch",
                        "20",
                        "--interval",
                        "20ms"));
    first.start();
    await(() -> out.toString().contains("producer"));
    Result second = sluice("demo", "--records", "100", "--interval", "0ms");
    assertThat(second.status()).isEqualTo(1);
    assertThat(second.err()).startsWith("sluice: another demo is running on");
    first.join(60_000);
    assertThat(status[0]).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("200 records produced")
        .contains("200 records consumed by group \"demo\", lag 0");
  }

  @Test
  void aDemoAfterAnInterruptedOneCountsOnlyItsOwnRecordsAndSaysWhatWasLeft() {
    try (Store s = store()) {
      var demo = s.stream("demo");
      for (int i = 0; i < 10; i++) {
        demo.append(Map.of("n", i, "sensor", "s0", "reading", 1.0));
      }
      // an earlier demo consumed 4 records of its 10, then was interrupted
      s.streaming("demo").group("demo").size(4).once(w -> {});
    }
    Result r = sluice("demo", "--records", "100", "--batch", "100", "--interval", "0ms");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("100 records produced")
        .contains("100 records consumed by group \"demo\", lag 0")
        .contains("also consumed 6 records an earlier, interrupted demo had left")
        .contains("per sensor {s0=")
        .contains("how many records came from each sensor");
  }

  @Test
  void demoSaysOneWindowAndOneRecordAndDoesNotSuggestLookingIntoAMemStore() {
    Result r =
        CliRunner.raw(
            "demo", "--store", "mem:", "--records", "1", "--batch", "1", "--interval", "0ms");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("1 record produced, 1 window, 1 record consumed")
        .contains("1 record ")
        .doesNotContain("1 records")
        .doesNotContain("./sluice info demo");
  }

  // ---- item 10

  @Test
  void failedCommandsCreateNothing() throws Exception {
    assertThat(sluice("append", "bad", "{\"a\":").status()).isEqualTo(1);
    assertThat(sluice("append", "nf", "--file", dir.resolve("nope").toString()).status())
        .isEqualTo(1);
    assertThat(dir.resolve("store")).doesNotExist();
    Result directory = sluice("append", "nf", "--file", dir.toString());
    assertThat(directory.err())
        .isEqualTo("sluice: " + dir + " is a directory; give a file of NDJSON lines\n");
    assertThat(dir.resolve("store")).doesNotExist();

    Path typo = dir.resolve("typo");
    for (String[] read :
        List.of(
            new String[] {"streams"},
            new String[] {"info", "s"},
            new String[] {"tail", "s"},
            new String[] {"drop", "s"})) {
      String[] args = new String[read.length + 2];
      System.arraycopy(read, 0, args, 0, read.length);
      args[read.length] = "--store";
      args[read.length + 1] = "sqlite:" + typo;
      Result r = CliRunner.raw(args);
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err()).startsWith("sluice: no store at " + typo);
    }
    Result dlq = CliRunner.raw("dlq", "list", "s", "--store", "sqlite:" + typo);
    assertThat(dlq.err()).startsWith("sluice: no store at " + typo);
    assertThat(typo).doesNotExist();

    // dlq replay with nothing to replay does not bring back a dropped stream
    deadLetterOneOrder();
    assertThat(sluice("dlq", "replay", "orders").out()).contains("replayed 1 dead letter");
    assertThat(sluice("drop", "orders").status()).isZero();
    Result nothing = sluice("dlq", "replay", "orders");
    assertThat(nothing.status()).isZero();
    assertThat(nothing.out()).contains("replayed 0 dead letters");
    assertThat(exists("orders")).isFalse();
  }

  @Test
  void aTildeInASqliteUrlIsTheHomeDirectory() {
    String home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
    try {
      Result r = CliRunner.raw("append", "s", "{}", "--store", "sqlite:~/x");
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(dir.resolve("x").resolve("sluice.db")).exists();
      assertThat(Path.of("~")).doesNotExist();
      Result other = CliRunner.raw("streams", "--store", "sqlite:~someone/x");
      assertThat(other.status()).isEqualTo(1);
      assertThat(other.err()).contains("only ~ and ~/ are expanded");
    } finally {
      System.setProperty("user.home", home);
    }
  }

  // ---- item 11

  @Test
  void aNegativeDemoIntervalIsAUsageErrorOfOneLine() {
    Result r = sluice("demo", "--interval", "PT-1S");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("sluice: ")
        .contains("a duration must not be negative: \"PT-1S\"");
  }

  // ---- item 12

  @Test
  void fileTakesAFifoAndDashForStandardInput() throws Exception {
    Path fifo = dir.resolve("fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).as("mkfifo (coreutils) must be installed").isZero();
    Thread writer =
        new Thread(
            () -> {
              try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write("{\"i\":1}\n{\"i\":2}\n".getBytes(StandardCharsets.UTF_8));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    writer.start();
    Result fromFifo = sluice("append", "f", "--file", fifo.toString());
    if (writer.isAlive()) {
      Files.newInputStream(fifo).close(); // the command did not read it: let the writer go
    }
    writer.join();
    assertThat(fromFifo.status()).as(fromFifo.err()).isZero();
    assertThat(fromFifo.out()).contains("appended 2 records to f (offsets 0..1)");

    Result dash =
        withStdin(
            "{\"i\":3}\n".getBytes(StandardCharsets.UTF_8),
            () -> sluice("append", "f", "--file", "-"));
    assertThat(dash.status()).as(dash.err()).isZero();
    assertThat(dash.out()).contains("appended 1 record to f (offsets 2..2)");
  }

  // ---- item 13

  @Test
  void aFailedRunSaysWhatWasStoredAndSkipResumesItStoringEachLineOnce() throws Exception {
    Path file = CliRunner.ndjsonWithABadLine(dir.resolve("in.ndjson"), 25, 17);
    String text = Files.readString(file);
    Result failed = sluice("append", "s", "--file", file.toString(), "--batch-size", "5");
    assertThat(failed.status()).isEqualTo(1);
    assertThat(failed.err())
        .isEqualTo(
            "sluice: "
                + file
                + " line 18 is not JSON: Unexpected character ('o' (code 111)): was expecting"
                + " double-quote to start field name; stored 15 records (offsets 0..14) from"
                + " lines 1..15; line 16 and after were not stored; to go on from there, run the"
                + " command again with --skip 15\n");
    Files.writeString(file, text.replace("{oops", "{\"i\":17}"));
    Result resumed =
        sluice("append", "s", "--file", file.toString(), "--batch-size", "5", "--skip", "15");
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("appended 10 records to s (offsets 15..24)");
    try (Store s = store()) {
      assertThat(s.stream("s").read(0, 100))
          .extracting(r -> r.value().get("i"))
          .containsExactly(
              0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
              24);
    }
  }

  // ---- item 14

  @Test
  void deadLetterStreamsCanBeReadButNotConsumedAndTheErrorPointsToDlq() {
    deadLetterOneOrder();
    assertThat(sluice("streams").out()).contains("orders.dlq");
    assertThat(sluice("info", "orders.dlq").status()).isZero();
    Result tail = sluice("tail", "orders.dlq");
    assertThat(tail.status()).as(tail.err()).isZero();
    assertThat(tail.out()).contains("\"offset\":0").contains("poison");
    Result group = sluice("tail", "orders.dlq", "--group", "g");
    assertThat(group.status()).isEqualTo(1);
    assertThat(group.err()).contains("./sluice dlq list orders");
  }

  // ---- item 16

  @Test
  void usageErrorsAreOneSluiceLineWithStatusTwo() {
    sluice("append", "s", "{}");
    Result zero = sluice("tail", "s", "--group", "g", "--every", "0ms");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err())
        .startsWith("sluice: --every must be longer than 0: 0ms")
        .doesNotContain("relaxed");
    Result unknown = sluice("tail", "s", "--nope");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err().lines())
        .singleElement()
        .asString()
        .startsWith("sluice: Unknown option: '--nope'")
        .endsWith("see ./sluice help tail");
  }

  @Test
  void aGroupTailWithoutSizeOrEveryUsesWindowsOfOneRecordAsItsHelpSays() {
    sluice("append", "s", "{\"a\":1}", "{\"a\":2}");
    Result r = sluice("tail", "s", "--group", "g");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"size\":1"));
    assertThat(CliRunner.raw("help", "tail").out().replaceAll("\\s+", " "))
        .contains("windows of N records (the default, with N = 1)");
  }

  @Test
  void aStreamNameStartingWithADashGoesAfterDoubleDash() {
    Result r = sluice("append", "--", "-x", "{}");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("appended 1 record to -x");
  }

  // ---- item 17

  @Test
  void theTopLevelUsageShowsWholeSentences() {
    Result r = CliRunner.raw();
    assertThat(r.status()).isZero();
    String commands = r.out().substring(r.out().indexOf("Commands:"));
    for (String line : commands.lines().skip(1).toList()) {
      if (line.matches("^  [a-z]+ .*")) {
        assertThat(line.strip()).as("a whole sentence").endsWith(".");
      }
    }
  }
}
