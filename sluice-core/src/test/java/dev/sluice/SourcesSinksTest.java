package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesSinksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;

  record Reading(String sensor, double value) {}

  record Summary(int size, long first) {}

  private Path lines(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  @Test
  void attachLoadsAnNdjsonFileIntoAStream() throws Exception {
    List<String> text = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      text.add("{\"i\":" + i + "}");
    }
    text.add(250, "   ");
    Path file = lines("in.ndjson", text.toArray(String[]::new));
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("in");
      try (EventStream.Attachment loading = s.attach(Sources.ndjson(file))) {
        assertThat(loading.await(WAIT)).isTrue();
        assertThat(loading.failure()).isEmpty();
        assertThat(loading.isRunning()).isFalse();
        assertThat(loading.appended()).isEqualTo(500);
      }
      assertThat(s.metadata().recordCount()).isEqualTo(500);
      assertThat(s.read(499, 10))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).containsEntry("i", 499));
    }
  }

  @Test
  void aBadLineFailsTheSourceNamingFileAndLineAndKeepsTheLinesBeforeIt() throws Exception {
    Path file = lines("bad.ndjson", "{\"i\":0}", "{\"i\":1}", "{\"i\":2}", "{oops", "{\"i\":4}");
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("in");
      try (EventStream.Attachment loading = s.attach(Sources.ndjson(file))) {
        assertThat(loading.await(WAIT)).isTrue();
        assertThat(loading.failure())
            .get()
            .isInstanceOf(CodecException.class)
            .extracting(Throwable::getMessage)
            .asString()
            .contains(file.toString())
            .contains("line 4");
        assertThat(loading.appended()).isEqualTo(3);
      }
      assertThat(s.read(0, 10)).extracting(r -> r.value().get("i")).containsExactly(0, 1, 2);
    }
  }

  @Test
  void aTypedSourceReadsRecords() throws Exception {
    Path file =
        lines("r.ndjson", "{\"sensor\":\"a\",\"value\":1.5}", "{\"sensor\":\"b\",\"value\":2}");
    List<Reading> seen = new ArrayList<>();
    Sources.ndjson(file, Reading.class).run(seen::add);
    assertThat(seen).containsExactly(new Reading("a", 1.5), new Reading("b", 2));

    Path wrong = lines("w.ndjson", "[1,2]");
    assertThatThrownBy(() -> Sources.ndjson(wrong, Reading.class).run(v -> {}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("line 1");
  }

  @Test
  void closeStopsARunningSource() throws Exception {
    Path file = lines("many.ndjson", "{\"i\":0}", "{\"i\":1}", "{\"i\":2}");
    Source<Map<String, Object>> source = Sources.ndjson(file);
    List<Object> seen = new ArrayList<>();
    source.run(
        v -> {
          seen.add(v);
          closeQuietly(source);
        });
    assertThat(seen).hasSize(1);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aConsumerWritesWindowResultsToAnNdjsonFile() throws Exception {
    Path out = dir.resolve("out.ndjson");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      EventStream<Map<String, Object>> s = store.stream("in");
      for (int i = 0; i < 10; i++) {
        s.append(Map.of("i", i));
      }
      CountDownLatch written = new CountDownLatch(3);
      Sink<Object> file = Sinks.ndjson(out);
      Sink<Object> counted =
          v -> {
            file.write(v);
            written.countDown();
          };
      try (StreamingJob job =
          store
              .streaming("in")
              .size(3)
              .process(w -> new Summary(w.size(), w.firstOffset()))
              .sink(counted)
              .start()) {
        assertThat(written.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      }
      file.close();
      assertThat(Files.readAllLines(out))
          .containsExactly(
              "{\"size\":3,\"first\":0}", "{\"size\":3,\"first\":3}", "{\"size\":3,\"first\":6}");
    }
  }

  @Test
  void ndjsonSinkAppendsAndStdoutPrints() throws Exception {
    Path out = dir.resolve("o.ndjson");
    try (Sink<Object> sink = Sinks.ndjson(out)) {
      sink.writeAll(List.of(Map.of("a", 1), List.of(1, 2)));
    }
    try (Sink<Object> sink = Sinks.ndjson(out)) {
      sink.write(new Reading("x", 3.0));
    }
    assertThat(Files.readAllLines(out))
        .containsExactly("{\"a\":1}", "[1,2]", "{\"sensor\":\"x\",\"value\":3.0}");

    PrintStream original = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Sinks.stdout().write(Map.of("b", "two"));
    } finally {
      System.setOut(original);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("{\"b\":\"two\"}\n");
  }

  @Test
  void stdoutReportsAFailedWriteSoTheWindowIsNotCommitted() throws Exception {
    PrintStream original = System.out;
    java.io.OutputStream closedPipe =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
          }
        };
    System.setOut(new PrintStream(closedPipe, true, StandardCharsets.UTF_8));
    try (Store store = Sluice.open("mem:")) {
      store.stream("s").append(Map.of("a", 1));
      assertThatThrownBy(() -> Sinks.stdout().write(Map.of("a", 1)))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("Sinks.stdout()");
      var consumer =
          store
              .streaming("s")
              .group("g")
              .size(1)
              .retry(Retry.none())
              .deadLetter(DeadLetter.STOP)
              .process(w -> w.data())
              .sink(Sinks.stdout());
      try {
        consumer.once();
      } catch (RuntimeException expected) {
        // the job stops with the sink's failure
      }
      assertThat(store.stream("s").groups()).allSatisfy(g -> assertThat(g.committed()).isZero());
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void anNdjsonSourceSkipsAByteOrderMarkAndRefusesInvalidUtf8NamingTheLine() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    Path good = dir.resolve("bom.ndjson");
    Files.write(good, bom);
    Files.write(
        good,
        "{\"name\":\"h\u00e9llo\"}\r\n".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    Path bad = dir.resolve("latin1.ndjson");
    Files.write(
        bad, "{\"i\":0}\n{\"name\":\"h\u00e9llo\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("in");
      try (EventStream.Attachment loading = s.attach(Sources.ndjson(good))) {
        assertThat(loading.await(WAIT)).isTrue();
        assertThat(loading.failure()).isEmpty();
      }
      assertThat(s.read(0, 10))
          .singleElement()
          .satisfies(r -> assertThat(r.value()).containsEntry("name", "h\u00e9llo"));
      try (EventStream.Attachment loading = s.attach(Sources.ndjson(bad))) {
        assertThat(loading.await(WAIT)).isTrue();
        assertThat(loading.failure())
            .get()
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
            .hasMessageContaining(bad + " line 2 is not valid UTF-8 (byte 0xE9");
      }
    }
  }

  @Test
  void aMissingFileIsRefusedWhenTheSourceIsMadeWithThePathInTheMessage() {
    Path missing = dir.resolve("no-such.ndjson");
    assertThatThrownBy(() -> Sources.ndjson(missing))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(missing.toAbsolutePath().toString());
    assertThatThrownBy(() -> Sources.ndjson(missing, String.class))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining(missing.toAbsolutePath().toString());
  }
}
