package dev.sluice.kafka.streams;

import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.StateUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The bytewax contract cases that the local engine's tests run, with their inputs: each flow runs
 * on the local engine and on Kafka Streams, and must give the same captures. Shared with the child
 * JVMs, which build the same flows from this class.
 */
final class ContractFlows {
  private ContractFlows() {}

  /** A contract case: a flow and its input. */
  record Case(String name, Dataflow<?, ?> flow, List<Epoched<?>> input) {}

  static List<Case> all() {
    return List.of(
        wordCount(),
        reduceUntilComplete(),
        reduceEpoch(),
        reduceEpochLocal(),
        statefulMap(),
        severalCaptures());
  }

  static Case byName(String name) {
    return all().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static final String[] WORDS = {"a", "b", "c", "d", "e", "f", "g", "h"};

  static List<Epoched<?>> lines(int count, int perEpoch, long seed) {
    Random random = new Random(seed);
    List<Epoched<?>> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder line = new StringBuilder();
      int words = 1 + random.nextInt(5);
      for (int w = 0; w < words; w++) {
        line.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      lines.add(Epoched.of(i / perEpoch, line.toString()));
    }
    return lines;
  }

  /** bytewax's word count: flat_map, map, reduce_epoch. */
  static Case wordCount() {
    Dataflow<String, KV<String, Long>> flow =
        Dataflow.<String>builder()
            .flatMap((String line) -> Arrays.asList(line.split(" ")))
            .map(word -> KV.of(word, 1L))
            .reduceEpoch(Long::sum)
            .capture()
            .build();
    return new Case("word-count", flow, lines(120, 10, 1));
  }

  /** reduce with isComplete: a key's sum is emitted once it reaches 5, in that value's epoch. */
  static Case reduceUntilComplete() {
    Dataflow<Integer, KV<String, Integer>> flow =
        Dataflow.<Integer>builder()
            .map(i -> KV.of("k" + (i % 7), 1))
            .reduce(Integer::sum, (Integer sum) -> sum >= 5)
            .capture()
            .build();
    return new Case("reduce", flow, numbers(150, 10));
  }

  /** reduce_epoch across partitions, then a second exchange counting keys by their count. */
  static Case reduceEpoch() {
    Dataflow<Integer, KV<Long, Long>> flow =
        Dataflow.<Integer>builder()
            .map(i -> KV.of("k" + (i % 11), (long) i))
            .reduceEpoch(Long::sum)
            .map((KV<String, Long> kv) -> KV.of(kv.value() % 3, 1L))
            .reduceEpoch(Long::sum)
            .capture()
            .build();
    return new Case("reduce-epoch", flow, numbers(200, 25));
  }

  /** reduce_epoch_local: one aggregate per partition, epoch and key, after a filter. */
  static Case reduceEpochLocal() {
    Dataflow<Integer, KV<Integer, Integer>> flow =
        Dataflow.<Integer>builder()
            .filter(i -> i % 4 != 0)
            .map(i -> KV.of(i % 5, i))
            .reduceEpochLocal(Integer::sum)
            .capture()
            .build();
    return new Case("reduce-epoch-local", flow, numbers(120, 20));
  }

  /** stateful_map with a running count that forgets its state (null) when it reaches 3. */
  static Case statefulMap() {
    Dataflow<Integer, KV<String, String>> flow =
        Dataflow.<Integer>builder()
            .map(i -> KV.of("k" + (i % 4), i))
            .statefulMap(
                (String key) -> 0,
                (Integer count, Integer value) ->
                    StateUpdate.of(count + 1 == 3 ? null : count + 1, (count + 1) + ":" + value))
            .capture()
            .build();
    // one value per key and epoch: the order within an epoch is not defined on any engine
    return new Case("stateful-map", flow, numbers(100, 4));
  }

  /** Several captures sharing the output, before and after keyed steps. */
  static Case severalCaptures() {
    Dataflow<Integer, Object> flow =
        Dataflow.<Integer>builder()
            .filter(i -> i % 10 == 0)
            .capture(i -> "in:" + i)
            .map(i -> KV.of(i % 3 == 0 ? "three" : "other", i))
            .reduceEpoch(Integer::sum)
            .capture()
            .inspectEpoch((e, kv) -> {})
            .statefulMap((String k) -> 0L, (Long s, Integer v) -> StateUpdate.of(s + v, s + v))
            .capture()
            .build();
    return new Case("several-captures", flow, numbers(300, 50));
  }

  static List<Epoched<?>> numbers(int count, int perEpoch) {
    List<Epoched<?>> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(Epoched.of(i / perEpoch, i));
    }
    return numbers;
  }

  /** Captures in a canonical order: by epoch, then by text, so runs compare as multisets. */
  static List<String> canonical(List<? extends Epoched<?>> pairs) {
    List<String> out = new ArrayList<>();
    List<Epoched<?>> copy = new ArrayList<>(pairs);
    copy.sort(
        Comparator.<Epoched<?>>comparingLong(Epoched::epoch)
            .thenComparing(p -> String.valueOf(p.item())));
    for (Epoched<?> p : copy) {
      out.add(p.epoch() + " " + p.item());
    }
    return out;
  }
}
