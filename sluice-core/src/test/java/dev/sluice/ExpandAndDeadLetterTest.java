package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spi.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: sinks that expand lists, and sources that dead-letter what they cannot read. */
class ExpandAndDeadLetterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path dir;

  @Test
  void expandWritesEachElementOfAListResultAsItsOwnRecordExactlyOnce() throws Exception {
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> in = store.stream("in");
      for (int i = 0; i < 6; i++) {
        in.append(Map.of("i", i));
      }
      EventStream<Map<String, Object>> out = store.stream("out");
      try (StreamingJob job =
          store
              .streaming("in")
              .size(3)
              .delivery(Delivery.EXACTLY_ONCE)
              .process(w -> w.data())
              .sink(Sinks.expand(Sinks.stream(out)))
              .start()) {
        await(() -> out.metadata().recordCount() == 6);
      }
      assertThat(out.read(0, 10))
          .extracting(r -> r.value().get("i"))
          .containsExactly(0, 1, 2, 3, 4, 5);
    }
  }

  @Test
  void expandWritesOneLinePerElementIntoAFileSinkAndNothingForAnEmptyList() throws Exception {
    Path file = dir.resolve("out.ndjson");
    try (var sink = Sinks.<Object>expand(Sinks.ndjson(file))) {
      sink.write(List.of(Map.of("a", 1), Map.of("a", 2)));
      sink.write(List.of());
      sink.writeAll(List.of(List.of("x"), List.of("y", "z")));
    }
    assertThat(Files.readAllLines(file))
        .containsExactly("{\"a\":1}", "{\"a\":2}", "\"x\"", "\"y\"", "\"z\"");
  }

  /** A source of raw lines; a line that is not a number is dead-lettered with its line number. */
  static final class NumberLines implements Source<Map<String, Object>> {
    private final List<String> lines;

    NumberLines(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public void run(Emitter<? super Map<String, Object>> emitter) throws Exception {
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        byte[] raw = lines.get(i).getBytes(StandardCharsets.UTF_8);
        try {
          acks.add(emitter.emitAsync(Map.of("n", Long.parseLong(lines.get(i)))));
        } catch (NumberFormatException e) {
          emitter.deadLetter(Map.of("line", i + 1), raw, e);
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }
  }

  @Test
  void aMalformedMessageGoesToTheDeadLetterStreamWithItsPositionAndTheSourceGoesOn()
      throws Exception {
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("numbers");
      try (EventStream.Attachment a =
          s.attach(new NumberLines(List.of("1", "2", "three", "{\"x\":", "5")))) {
        assertThat(a.await(WAIT)).isTrue();
        assertThat(a.failure()).isEmpty();
        assertThat(a.appended()).isEqualTo(3);
        assertThat(a.deadLettered()).isEqualTo(2);
      }
      assertThat(s.read(0, 10)).extracting(r -> r.value().get("n")).containsExactly(1, 2, 5);
      List<Record<Map<String, Object>>> dead = store.deadLetters("numbers").read(0, 10);
      assertThat(dead).hasSize(2);
      assertThat(dead.get(0).value())
          .containsEntry("stream", "numbers")
          .containsEntry("position", Map.of("line", 3))
          .containsEntry("error", NumberFormatException.class.getName())
          .containsKey("valueBase64");
      assertThat(dead.get(1).value()).containsEntry("position", Map.of("line", 4));
    }
  }

  @Test
  void anEmitterThatCannotTellDurabilityRefusesInsteadOfPretending() {
    Source.Emitter<Object> plain = v -> {};
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.emitAsync("x"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("durable");
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(5);
    }
  }
}
