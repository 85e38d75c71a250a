package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.spi.Sink;
import dev.sluice.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dataflows reading persistent streams and capturing into streams and sinks, on real stores. */
class StreamDataflowTest {
  @TempDir Path dir;

  private Store store;

  /** A word-count result as a stream value. */
  record Count(String word, long count) {}

  @AfterEach
  void closeStoreAndCheckThreads() {
    if (store != null) {
      store.close();
    }
    assertThat(Mode.workerThreads()).isEmpty();
  }

  private Store open(String kind) {
    return open(kind, StoreOptions.defaults());
  }

  private Store open(String kind, StoreOptions options) {
    store = Sluice.open(kind.equals("mem") ? "mem:" : "sqlite:" + dir.resolve("store"), options);
    return store;
  }

  private static <T> List<T> values(EventStream<T> stream) {
    List<T> out = new ArrayList<>();
    for (Record<T> record : stream.read(0, 100_000)) {
      out.add(record.value());
    }
    return out;
  }

  private static final Dataflow<Record<String>, Count> WORD_COUNT =
      Dataflow.<Record<String>>builder()
          .flatMap(record -> Arrays.asList(record.value().split(" ")))
          .map(word -> KV.of(word, 1L))
          .reduceEpoch(Long::sum)
          .map(kv -> new Count(kv.key(), kv.value()))
          .capture()
          .build();

  @ParameterizedTest
  @ValueSource(strings = {"mem", "sqlite"})
  void aFlowReadsAStreamByOffsetEpochsOnEveryWorkerAndCapturesIntoAnotherStream(String kind) {
    Store store = open(kind);
    EventStream<String> lines = store.stream("lines", String.class);
    lines.appendAll(List.of("a b", "a", "b b", "c", "a c", "c c"));
    EventStream<Count> counts = store.stream("counts", Count.class);

    StreamInput<String> input = StreamInput.upToEnd(lines);
    Execution.spawnCluster(
        WORD_COUNT,
        (i, n) -> StreamInput.epochsByOffset(input.share(i, n), 2),
        Outputs.toStream(counts),
        1,
        3);

    // Epochs are offset buckets of 2: {a b, a}, {b b, c}, {a c, c c}.
    assertThat(values(counts))
        .containsExactlyInAnyOrder(
            new Count("a", 2), new Count("b", 1),
            new Count("b", 2), new Count("c", 1),
            new Count("a", 1), new Count("c", 3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mem", "sqlite"})
  void recordTimestampsGiveTumblingEpochs(String kind) {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Store store = open(kind, StoreOptions.defaults().clock(clock));
    EventStream<String> lines = store.stream("lines", String.class);
    lines.append("a");
    clock.advance(Duration.ofSeconds(30));
    lines.append("a b");
    clock.advance(Duration.ofSeconds(45));
    lines.append("b");
    List<Epoched<Count>> out = new ArrayList<>();

    Execution.spawnCluster(
        WORD_COUNT,
        (i, n) ->
            Inputs.tumblingEpoch(
                StreamInput.upToEnd(lines), Duration.ofMinutes(1), Record::timestamp),
        (i, n) -> out::add,
        1,
        1);

    assertThat(out)
        .containsExactlyInAnyOrder(
            Epoched.of(0, new Count("a", 2)),
            Epoched.of(0, new Count("b", 1)),
            Epoched.of(1, new Count("b", 1)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mem", "sqlite"})
  void anInputReadsOnlyUpToTheEndAtItsCreationInPages(String kind) {
    Store store = open(kind);
    EventStream<Integer> numbers = store.stream("numbers", Integer.class);
    List<Integer> first = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      first.add(i);
    }
    numbers.appendAll(first);

    StreamInput<Integer> input = StreamInput.upToEnd(numbers);
    numbers.append(-1);
    var flow = Dataflow.<Record<Integer>>builder().map(Record::value).capture().build();
    var out = Execution.run(flow, Inputs.singleBatch(input));

    assertThat(input.from()).isZero();
    assertThat(input.to()).isEqualTo(2_500);
    assertThat(out).extracting(Epoched::item).containsExactlyElementsOf(first);
  }

  @Test
  void sharesAreContiguousDisjointAndCoverTheRange() {
    Store store = open("mem");
    EventStream<Integer> numbers = store.stream("numbers", Integer.class);
    numbers.appendAll(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    StreamInput<Integer> input = StreamInput.range(numbers, 2, 9);

    List<List<Long>> shares = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Long> offsets = new ArrayList<>();
      input.share(i, 3).forEach(record -> offsets.add(record.offset()));
      shares.add(offsets);
    }

    assertThat(shares).containsExactly(List.of(2L, 3L, 4L), List.of(5L, 6L), List.of(7L, 8L));
    assertThat(input.share(0, 1).from()).isEqualTo(2);
    assertThat(input.share(0, 1).to()).isEqualTo(9);
  }

  @Test
  void anEmptyStreamGivesAnEmptyInput() {
    Store store = open("mem");

    StreamInput<String> input = StreamInput.upToEnd(store.stream("empty", String.class));

    assertThat(input.iterator().hasNext()).isFalse();
    assertThat(Execution.run(WORD_COUNT, Inputs.singleBatch(input))).isEmpty();
  }

  @Test
  void epochsByOffsetBucketsOffsets() {
    Store store = open("mem");
    EventStream<String> words = store.stream("words", String.class);
    words.appendAll(List.of("a", "b", "c", "d", "e"));

    List<Long> epochs = new ArrayList<>();
    StreamInput.epochsByOffset(StreamInput.upToEnd(words), 2).forEach(e -> epochs.add(e.epoch()));

    assertThat(epochs).containsExactly(0L, 0L, 1L, 1L, 2L);
    assertThatThrownBy(() -> StreamInput.epochsByOffset(StreamInput.upToEnd(words), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recordsPerEpoch must be at least 1: 0");
  }

  @Test
  void aBadRangeIsRejected() {
    Store store = open("mem");
    EventStream<String> words = store.stream("words", String.class);

    assertThatThrownBy(() -> StreamInput.range(words, 5, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offsets must satisfy 0 <= from <= to: from 5, to 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mem", "sqlite"})
  void whatWasCapturedBeforeAFailureIsKeptInTheStream(String kind) {
    Store store = open(kind);
    EventStream<Integer> out = store.stream("out", Integer.class);
    RuntimeException failure = new RuntimeException("stop at 3");
    var flow =
        Dataflow.<Integer>builder()
            .capture()
            .inspect(
                x -> {
                  if (x == 3) {
                    throw failure;
                  }
                })
            .build();

    assertThatThrownBy(
            () ->
                Execution.spawnCluster(
                    flow,
                    (i, n) -> Inputs.fullyOrdered(List.of(1, 2, 3, 4)),
                    Outputs.toStream(out),
                    1,
                    1))
        .isSameAs(failure);
    assertThat(values(out)).containsExactly(1, 2, 3);
  }

  @Test
  void aSharedSinkGetsEveryWorkersPairsAndIsClosedOnce() {
    List<Epoched<KV<String, Long>>> written = new ArrayList<>();
    AtomicInteger closed = new AtomicInteger();
    Sink<Epoched<KV<String, Long>>> sink =
        new Sink<>() {
          @Override
          public void write(Epoched<KV<String, Long>> value) {
            written.add(value);
          }

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
    var flow =
        Dataflow.<String>builder().map(w -> KV.of(w, 1L)).reduceEpoch(Long::sum).capture().build();
    List<String> words = List.of("x", "y", "x", "z", "x", "y");

    Execution.spawnCluster(
        flow,
        (i, n) -> Inputs.singleBatch(Inputs.distribute(words, i, n)),
        Outputs.toSink(sink),
        2,
        2);

    Map<String, Long> counts = new HashMap<>();
    written.forEach(pair -> counts.put(pair.item().key(), pair.item().value()));
    assertThat(written).hasSize(3);
    assertThat(counts).isEqualTo(Map.of("x", 3L, "y", 2L, "z", 1L));
    assertThat(closed).hasValue(1);
  }
}
