package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Epoch rules: ordering, completion across exchange channels, and bad epochs. */
@Timeout(20)
class EpochTest {

  @AfterEach
  void noWorkerThreadIsLeftRunning() {
    assertThat(Mode.workerThreads()).isEmpty();
  }

  /** Yields its pairs, sleeping before each one: a worker that lags behind the others. */
  private static <T> Iterable<Epoched<T>> slow(List<Epoched<T>> pairs, long millis) {
    return () ->
        new Iterator<>() {
          private final Iterator<Epoched<T>> items = pairs.iterator();

          @Override
          public boolean hasNext() {
            return items.hasNext();
          }

          @Override
          public Epoched<T> next() {
            try {
              Thread.sleep(millis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
            return items.next();
          }
        };
  }

  private static <T> List<T> share(List<T> items, int index, int count) {
    List<T> out = new ArrayList<>();
    Inputs.distribute(items, index, count).forEach(out::add);
    return out;
  }

  private static List<Epoched<KV<String, String>>> keyed(String key, long... epochs) {
    List<Epoched<KV<String, String>>> out = new ArrayList<>();
    for (long epoch : epochs) {
      out.add(Epoched.of(epoch, KV.of(key, Long.toString(epoch))));
    }
    return out;
  }

  @Test
  void reduceSeesValuesInEpochOrderEvenWhenAnotherWorkerRunsAhead() {
    var flow =
        Dataflow.<KV<String, String>>builder()
            .reduce((String a, String b) -> a + " " + b, (String agg) -> agg.split(" ").length == 6)
            .capture()
            .build();
    List<Epoched<KV<String, String>>> out = Collections.synchronizedList(new ArrayList<>());

    Execution.spawnCluster(
        flow,
        (i, n) -> i == 0 ? keyed("k", 0, 2, 4) : slow(keyed("k", 1, 3, 5), 15),
        (i, n) -> out::add,
        1,
        2);

    assertThat(out).containsExactly(Epoched.of(5, KV.of("k", "0 1 2 3 4 5")));
  }

  @Test
  void statefulMapSeesValuesInEpochOrderEvenWhenAnotherWorkerRunsAhead() {
    var flow =
        Dataflow.<KV<String, String>>builder()
            .statefulMap(
                (String key) -> "",
                (String seen, String value) ->
                    StateUpdate.of(seen + value, seen.isEmpty() ? value : seen + value))
            .capture()
            .build();
    List<Epoched<KV<String, String>>> out = Collections.synchronizedList(new ArrayList<>());

    Execution.spawnCluster(
        flow,
        (i, n) -> i == 0 ? keyed("k", 0, 2, 4) : slow(keyed("k", 1, 3), 15),
        (i, n) -> out::add,
        1,
        2);

    assertThat(out)
        .containsExactlyInAnyOrder(
            Epoched.of(0, KV.of("k", "0")),
            Epoched.of(1, KV.of("k", "01")),
            Epoched.of(2, KV.of("k", "012")),
            Epoched.of(3, KV.of("k", "0123")),
            Epoched.of(4, KV.of("k", "01234")));
  }

  @Test
  void reduceEpochWaitsForMarkersFromEveryWorkerBeforeClosingAnEpoch() {
    var flow = Dataflow.<KV<String, Long>>builder().reduceEpoch(Long::sum).capture().build();
    List<Epoched<KV<String, Long>>> out = Collections.synchronizedList(new ArrayList<>());
    List<Epoched<KV<String, Long>>> each =
        List.of(
            Epoched.of(0, KV.of("k", 1L)),
            Epoched.of(1, KV.of("k", 1L)),
            Epoched.of(2, KV.of("k", 1L)));

    Execution.spawnCluster(
        flow, (i, n) -> i == 0 ? each : slow(each, 10), (i, n) -> out::add, 1, 3);

    assertThat(out)
        .containsExactlyInAnyOrder(
            Epoched.of(0, KV.of("k", 3L)),
            Epoched.of(1, KV.of("k", 3L)),
            Epoched.of(2, KV.of("k", 3L)));
  }

  @Test
  void epochMarkersPassThroughTwoExchangesInARow() {
    // Count words per epoch, then count how many words had each count.
    var flow =
        Dataflow.<String>builder()
            .map(word -> KV.of(word, 1))
            .reduceEpoch(Integer::sum)
            .map(kv -> KV.of(kv.value(), 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();
    List<Epoched<KV<Integer, Integer>>> out = Collections.synchronizedList(new ArrayList<>());
    List<Epoched<String>> words =
        List.of(
            Epoched.of(0, "a"),
            Epoched.of(0, "b"),
            Epoched.of(0, "a"),
            Epoched.of(0, "c"),
            Epoched.of(1, "a"),
            Epoched.of(1, "b"));

    Execution.spawnCluster(
        flow, (i, n) -> slow(share(words, i, n), 3L * i), (i, n) -> out::add, 1, 4);

    assertThat(out)
        .containsExactlyInAnyOrder(
            Epoched.of(0, KV.of(2, 1)), Epoched.of(0, KV.of(1, 2)), Epoched.of(1, KV.of(1, 2)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void reduceEpochGivesExactlyOneAggregatePerKeyAndEpochInEveryMode(Mode mode) {
    List<Epoched<KV<Integer, Long>>> input = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      input.add(Epoched.of(i / 400, KV.of(i % 7, (long) i)));
    }
    List<Epoched<KV<Integer, Long>>> expected = new ArrayList<>();
    for (long epoch = 0; epoch < 5; epoch++) {
      for (int key = 0; key < 7; key++) {
        long sum = 0;
        for (int i = (int) epoch * 400; i < (epoch + 1) * 400; i++) {
          sum += i % 7 == key ? i : 0;
        }
        expected.add(Epoched.of(epoch, KV.of(key, sum)));
      }
    }
    var flow = Dataflow.<KV<Integer, Long>>builder().reduceEpoch(Long::sum).capture().build();

    assertThat(mode.execute(flow, input)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void reduceEpochLocalEmitsOneAggregatePerWorkerEpochAndKeyWithoutExchange() {
    var flow =
        Dataflow.<KV<String, Integer>>builder().reduceEpochLocal(Integer::sum).capture().build();
    List<Epoched<KV<String, Integer>>> input =
        List.of(
            Epoched.of(0, KV.of("a", 1)),
            Epoched.of(0, KV.of("a", 2)),
            Epoched.of(0, KV.of("a", 3)),
            Epoched.of(0, KV.of("a", 4)),
            Epoched.of(1, KV.of("a", 10)));

    // Round-robin: worker 0 gets 1, 3, 10; worker 1 gets 2, 4.
    var out = Execution.runCluster(flow, input, 1, 2);

    assertThat(out)
        .containsExactlyInAnyOrder(
            Epoched.of(0, KV.of("a", 4)),
            Epoched.of(0, KV.of("a", 6)),
            Epoched.of(1, KV.of("a", 10)));
  }

  @Test
  void decreasingInputEpochsFailWithTheWorkerAndBothEpochs() {
    var flow = Dataflow.<String>builder().capture().build();

    assertThatThrownBy(
            () ->
                Execution.run(
                    flow, List.of(Epoched.of(0, "a"), Epoched.of(2, "b"), Epoched.of(1, "c"))))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage(
            "input epochs must not decrease per worker: worker 0 read epoch 1 after epoch 2");
  }

  @Test
  void epochsNeedOnlyBeOrderedWithinEachWorkersShare() {
    var flow = Dataflow.<String>builder().capture().build();
    // Worker 0 gets epochs 0, 1; worker 1 gets 5, 6: each share is ordered.
    var input =
        List.of(Epoched.of(0, "a"), Epoched.of(5, "b"), Epoched.of(1, "c"), Epoched.of(6, "d"));

    assertThat(Execution.runCluster(flow, input, 1, 2))
        .containsExactly(
            Epoched.of(0, "a"), Epoched.of(1, "c"), Epoched.of(5, "b"), Epoched.of(6, "d"));
  }

  @Test
  void aWorkerShareWithDecreasingEpochsFailsTheClusterRun() {
    var flow = Dataflow.<String>builder().capture().build();
    // Worker 0 gets epochs 5, then 1.
    var input = List.of(Epoched.of(5, "a"), Epoched.of(6, "b"), Epoched.of(1, "c"));

    assertThatThrownBy(() -> Execution.runCluster(flow, input, 1, 2))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage(
            "input epochs must not decrease per worker: worker 0 read epoch 1 after epoch 5");
  }

  @Test
  void theLargestEpochIsReservedForTheEndOfInput() {
    var flow = Dataflow.<String>builder().capture().build();

    assertThatThrownBy(() -> Execution.run(flow, List.of(Epoched.of(Long.MAX_VALUE, "a"))))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessageContaining("input epoch must be below Long.MAX_VALUE")
        .hasMessageContaining(Long.toString(Long.MAX_VALUE));
  }

  @Test
  void negativeAndRepeatedEpochsAreFine() {
    var flow = Dataflow.<KV<String, Integer>>builder().reduceEpoch(Integer::sum).capture().build();

    var out =
        Execution.run(
            flow,
            List.of(
                Epoched.of(-5, KV.of("a", 1)),
                Epoched.of(-5, KV.of("a", 1)),
                Epoched.of(0, KV.of("a", 5))));

    assertThat(out).containsExactly(Epoched.of(-5, KV.of("a", 2)), Epoched.of(0, KV.of("a", 5)));
  }

  @Test
  void aNullInputPairIsRejected() {
    var flow = Dataflow.<String>builder().capture().build();
    List<Epoched<String>> input = new ArrayList<>();
    input.add(null);

    assertThatThrownBy(() -> Execution.run(flow, input))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("input must consist of (epoch, item) pairs; worker 0 read null");
  }

  @Test
  void aKeyedStepRejectsItemsThatAreNotKvNamingTheStep() {
    var flow = Dataflow.<String>builder().capture().reduceEpoch(Integer::sum).build();

    assertThatThrownBy(() -> Execution.run(flow, Inputs.singleBatch(List.of("x"))))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("reduce_epoch (step 1) takes KV items; got java.lang.String: x");
  }

  @Test
  void aKeyWithoutAStableHashIsRejectedWithItsType() {
    var flow =
        Dataflow.<Double>builder()
            .map(x -> KV.of(x, 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    assertThatThrownBy(() -> Execution.runCluster(flow, Inputs.singleBatch(List.of(1.5)), 1, 2))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessageContaining("got java.lang.Double");
  }

  @Test
  void aReducerReturningNullIsAnErrorNamingStepAndKey() {
    var flow =
        Dataflow.<KV<String, Integer>>builder()
            .reduceEpoch((Integer a, Integer b) -> null)
            .capture()
            .build();

    assertThatThrownBy(
            () -> Execution.run(flow, Inputs.singleBatch(List.of(KV.of("k", 1), KV.of("k", 2)))))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("reduce_epoch (step 0): the reducer returned null for key k");
  }
}
