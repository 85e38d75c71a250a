package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each operator on one worker ({@code Execution.run}), with exact expected output. */
class OperatorTest {

  private static <T> List<Epoched<T>> pairs(Object... epochAndItem) {
    List<Epoched<T>> out = new ArrayList<>();
    for (int i = 0; i < epochAndItem.length; i += 2) {
      @SuppressWarnings("unchecked")
      T item = (T) epochAndItem[i + 1];
      out.add(Epoched.of(((Number) epochAndItem[i]).longValue(), item));
    }
    return out;
  }

  @Test
  void mapReplacesEachItemInItsEpoch() {
    var flow = Dataflow.<Integer>builder().map(x -> x + 1).capture().build();

    assertThat(Execution.run(flow, pairs(0, 0, 0, 1, 2, 2)))
        .containsExactlyElementsOf(pairs(0, 1, 0, 2, 2, 3));
  }

  @Test
  void flatMapEmitsEveryItemOfTheResultInTheInputEpoch() {
    var flow =
        Dataflow.<String>builder()
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .capture()
            .build();

    assertThat(Execution.run(flow, pairs(0, "split this", 1, "and that")))
        .containsExactlyElementsOf(pairs(0, "split", 0, "this", 1, "and", 1, "that"));
  }

  @Test
  void flatMapWithAnEmptyResultDropsTheItem() {
    var flow = Dataflow.<String>builder().flatMap(line -> List.<String>of()).capture().build();

    assertThat(Execution.run(flow, pairs(0, "gone"))).isEmpty();
  }

  @Test
  void filterKeepsOnlyItemsThePredicateAccepts() {
    var flow = Dataflow.<Integer>builder().filter(x -> x % 2 == 0).capture().build();

    assertThat(Execution.run(flow, pairs(0, 1, 0, 2, 1, 3, 1, 4)))
        .containsExactlyElementsOf(pairs(0, 2, 1, 4));
  }

  @Test
  void inspectSeesEveryItemAndPassesItOnUnchanged() {
    List<String> seen = new ArrayList<>();
    var flow = Dataflow.<String>builder().inspect(seen::add).capture().build();

    var out = Execution.run(flow, pairs(0, "a", 1, "b"));

    assertThat(seen).containsExactly("a", "b");
    assertThat(out).containsExactlyElementsOf(pairs(0, "a", 1, "b"));
  }

  @Test
  void inspectEpochSeesEachItemWithItsEpoch() {
    List<String> seen = new ArrayList<>();
    var flow =
        Dataflow.<String>builder()
            .inspectEpoch((epoch, item) -> seen.add(epoch + ":" + item))
            .capture()
            .build();

    var out = Execution.run(flow, pairs(3, "a", 5, "b"));

    assertThat(seen).containsExactly("3:a", "5:b");
    assertThat(out).containsExactlyElementsOf(pairs(3, "a", 5, "b"));
  }

  @Test
  void reduceEmitsWhenCompleteInTheEpochOfTheCompletingValueAndForgetsTheKey() {
    var flow =
        Dataflow.<KV<String, Integer>>builder()
            .reduce(Integer::sum, sum -> sum >= 3)
            .capture()
            .build();

    var out =
        Execution.run(
            flow,
            pairs(
                0,
                KV.of("a", 1),
                0,
                KV.of("b", 5),
                1,
                KV.of("a", 1),
                2,
                KV.of("a", 1),
                3,
                KV.of("a", 2),
                4,
                KV.of("a", 2)));

    // b is complete on its first value; a completes at epoch 2 (1+1+1), then starts over: 2, 2+2.
    assertThat(out)
        .containsExactlyElementsOf(pairs(0, KV.of("b", 5), 2, KV.of("a", 3), 4, KV.of("a", 4)));
  }

  @Test
  void reduceRunsIsCompleteAfterEveryUpdateIncludingTheFirst() {
    List<Integer> checked = new ArrayList<>();
    var flow =
        Dataflow.<KV<String, Integer>>builder()
            .reduce(
                Integer::sum,
                (Integer sum) -> {
                  checked.add(sum);
                  return false;
                })
            .capture()
            .build();

    var out = Execution.run(flow, pairs(0, KV.of("a", 1), 0, KV.of("a", 2), 1, KV.of("a", 3)));

    assertThat(checked).containsExactly(1, 3, 6);
    assertThat(out).as("aggregators never completed are not emitted").isEmpty();
  }

  @Test
  void reduceEpochEmitsOneAggregatePerKeyPerEpochWhenTheEpochCloses() {
    var flow = Dataflow.<KV<String, Integer>>builder().reduceEpoch(Integer::sum).capture().build();

    var out =
        Execution.run(
            flow,
            pairs(
                0,
                KV.of("a", 1),
                0,
                KV.of("b", 10),
                0,
                KV.of("a", 2),
                1,
                KV.of("b", 20),
                1,
                KV.of("b", 1),
                3,
                KV.of("a", 7)));

    assertThat(out)
        .containsExactlyElementsOf(
            pairs(0, KV.of("a", 3), 0, KV.of("b", 10), 1, KV.of("b", 21), 3, KV.of("a", 7)));
  }

  @Test
  void reduceEpochLocalAggregatesPerEpochAndKeyOnOneWorker() {
    var flow =
        Dataflow.<KV<String, Integer>>builder().reduceEpochLocal(Integer::sum).capture().build();

    var out =
        Execution.run(
            flow, pairs(0, KV.of("a", 1), 0, KV.of("a", 2), 1, KV.of("a", 4), 1, KV.of("c", 1)));

    assertThat(out)
        .containsExactlyElementsOf(pairs(0, KV.of("a", 3), 1, KV.of("a", 4), 1, KV.of("c", 1)));
  }

  @Test
  void statefulMapBuildsStateFromTheKeyAndEmitsTheMapperOutput() {
    var flow =
        Dataflow.<KV<String, Integer>>builder()
            .statefulMap(
                (String key) -> key.length() * 100,
                (Integer total, Integer value) -> StateUpdate.of(total + value, total + value))
            .capture()
            .build();

    var out = Execution.run(flow, pairs(0, KV.of("ab", 1), 0, KV.of("c", 1), 1, KV.of("ab", 5)));

    assertThat(out)
        .containsExactlyElementsOf(
            pairs(0, KV.of("ab", 201), 0, KV.of("c", 101), 1, KV.of("ab", 206)));
  }

  @Test
  void statefulMapDropsANullStateAndRebuildsItForTheNextValue() {
    List<String> built = new ArrayList<>();
    var flow =
        Dataflow.<KV<String, String>>builder()
            .statefulMap(
                (String key) -> {
                  built.add(key);
                  return new ArrayList<String>();
                },
                (List<String> seen, String value) -> {
                  seen.add(value);
                  boolean reset = value.equals("reset");
                  return StateUpdate.of(reset ? null : seen, List.copyOf(seen));
                })
            .capture()
            .build();

    var out =
        Execution.run(
            flow,
            pairs(
                0,
                KV.of("k", "x"),
                0,
                KV.of("k", "reset"),
                1,
                KV.of("k", "y"),
                1,
                KV.of("j", "z")));

    assertThat(out)
        .containsExactlyElementsOf(
            pairs(
                0,
                KV.of("k", List.of("x")),
                0,
                KV.of("k", List.of("x", "reset")),
                1,
                KV.of("k", List.of("y")),
                1,
                KV.of("j", List.of("z"))));
    assertThat(built).containsExactly("k", "k", "j");
  }

  @Test
  void captureHandsOnPairsAndTheFlowContinuesAfterIt() {
    Dataflow<Integer, Object> flow =
        Dataflow.<Integer>builder().capture().map(x -> "x" + x).capture().build();

    assertThat(Execution.run(flow, pairs(0, 1, 1, 2)))
        .containsExactlyElementsOf(pairs(0, 1, 0, "x1", 1, 2, 1, "x2"));
  }

  @Test
  void severalCapturesShareTheOutputInEpochOrder() {
    Dataflow<String, Object> flow =
        Dataflow.<String>builder()
            .capture()
            .map(word -> KV.of(word, 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    var out = Execution.run(flow, pairs(0, "a", 0, "a", 1, "b"));

    // The epoch-0 counts are captured when epoch 1 starts, before epoch 1's first raw word.
    assertThat(out)
        .containsExactlyElementsOf(
            pairs(0, "a", 0, "a", 0, KV.of("a", 2), 1, "b", 1, KV.of("b", 1)));
  }

  @Test
  void itemsAfterTheLastCaptureAreComputedButNotOutput() {
    List<Integer> seen = new ArrayList<>();
    var flow = Dataflow.<Integer>builder().capture().map(x -> x * 2).inspect(seen::add).build();

    assertThat(Execution.run(flow, pairs(0, 1))).containsExactlyElementsOf(pairs(0, 1));
    assertThat(seen).containsExactly(2);
  }

  @Test
  void wordCountCountsEveryWordOfEveryEpoch() {
    Dataflow<String, KV<String, Long>> flow =
        Dataflow.<String>builder()
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .map(word -> KV.of(word, 1L))
            .reduceEpoch(Long::sum)
            .capture()
            .build();

    var out = Execution.run(flow, Inputs.singleBatch(List.of("to be or", "not to be")));

    Map<String, Long> counts = new java.util.HashMap<>();
    for (Epoched<KV<String, Long>> pair : out) {
      assertThat(pair.epoch()).isZero();
      counts.put(pair.item().key(), pair.item().value());
    }
    assertThat(out).hasSize(4);
    assertThat(counts).isEqualTo(Map.of("to", 2L, "be", 2L, "or", 1L, "not", 1L));
  }
}
