package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Keyed state on many workers equals a plain single-threaded model of bytewax's rules. */
class KeyedStatePropertyTest {

  /** Builds (epoch, KV(key, 1)) input: epochs rise by the given steps, keys from a small set. */
  private static List<Epoched<KV<Integer, Integer>>> input(
      List<Integer> keys, List<Integer> steps) {
    List<Epoched<KV<Integer, Integer>>> out = new ArrayList<>();
    long epoch = 0;
    for (int i = 0; i < keys.size(); i++) {
      epoch += steps.get(i % steps.size());
      out.add(Epoched.of(epoch, KV.of(keys.get(i), 1)));
    }
    return out;
  }

  @Property(tries = 25)
  void reduceEpochOnManyWorkersEqualsPerEpochCounting(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 9) Integer> keys,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 2) Integer> steps,
      @ForAll @IntRange(min = 1, max = 4) int workers) {
    var in = input(keys, steps);
    var flow = Dataflow.<KV<Integer, Integer>>builder().reduceEpoch(Integer::sum).capture().build();

    Map<Long, Map<Integer, Integer>> expected = new TreeMap<>();
    for (Epoched<KV<Integer, Integer>> pair : in) {
      expected
          .computeIfAbsent(pair.epoch(), e -> new HashMap<>())
          .merge(pair.item().key(), 1, Integer::sum);
    }
    List<Epoched<KV<Integer, Integer>>> expectedPairs = new ArrayList<>();
    expected.forEach(
        (e, counts) -> counts.forEach((k, c) -> expectedPairs.add(Epoched.of(e, KV.of(k, c)))));

    assertThat(Execution.runCluster(flow, in, 1, workers))
        .containsExactlyInAnyOrderElementsOf(expectedPairs);
  }

  @Property(tries = 25)
  void reduceOnManyWorkersEqualsTheSequentialModel(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 5) Integer> keys,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 2) Integer> steps,
      @ForAll @IntRange(min = 1, max = 4) int workers,
      @ForAll @IntRange(min = 1, max = 4) int completeAt) {
    var in = input(keys, steps);
    var flow =
        Dataflow.<KV<Integer, Integer>>builder()
            .reduce(Integer::sum, (Integer sum) -> sum >= completeAt)
            .capture()
            .build();

    // Within an epoch, values of a key are all 1, so the order inside an epoch cannot matter.
    Map<Integer, Integer> aggregators = new HashMap<>();
    List<Epoched<KV<Integer, Integer>>> expected = new ArrayList<>();
    for (Epoched<KV<Integer, Integer>> pair : in) {
      int key = pair.item().key();
      int sum = aggregators.merge(key, 1, Integer::sum);
      if (sum >= completeAt) {
        aggregators.remove(key);
        expected.add(Epoched.of(pair.epoch(), KV.of(key, sum)));
      }
    }

    assertThat(Execution.runCluster(flow, in, 1, workers))
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
