package dev.sluice.examples;

import dev.sluice.dataflow.Bytes;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.Inputs;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.KeyRouting;
import dev.sluice.dataflow.Operators;
import dev.sluice.dataflow.StateUpdate;
import dev.sluice.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The typed-operator, routing and input snippets of docs/DATAFLOW.md, compiled and runnable. */
public final class DataflowTyped {
  private DataflowTyped() {}

  /** A key type of the user's: no stable hash of its own until its encoding is registered. */
  public record Point(double x, double y) {}

  /** An event with a numeric timestamp, in epoch milliseconds. */
  public record Event(long millis, String name) {}

  // keyed steps typed to KV at compile time: the items must be KV<K, Long> here
  static final Dataflow<String, KV<String, Long>> TYPED_WORD_COUNT =
      Dataflow.<String>builder()
          .flatMapArray(line -> line.split(" "))
          .map(word -> KV.of(word, 1L))
          .then(Operators.reduceEpoch((a, b) -> a + b))
          .capture()
          .build();

  // a running total per key, typed: no type witness needed
  static final Dataflow<KV<String, Long>, KV<String, Long>> RUNNING_TOTAL =
      Dataflow.<KV<String, Long>>builder()
          .then(
              Operators.statefulMap(key -> 0L, (total, n) -> StateUpdate.of(total + n, total + n)))
          .capture()
          .build();

  // two captures, one output type
  static final Dataflow<Integer, String> TWO_CAPTURES =
      Dataflow.<Integer>builder()
          .capture(x -> "in " + x)
          .map(x -> x * 10)
          .capture(x -> "out " + x)
          .build();

  // the routing hash as public API, with a key type of the user's
  static final KeyRouting ROUTING =
      KeyRouting.standard()
          .with(
              Point.class,
              p -> List.of(Double.doubleToLongBits(p.x()), Double.doubleToLongBits(p.y())));

  static final Dataflow<Point, KV<Point, Long>> POINT_COUNT =
      Dataflow.<Point>builder()
          .map(p -> KV.of(p, 1L))
          .then(Operators.reduceEpoch(Long::sum))
          .capture()
          .build()
          .routedBy(ROUTING);

  // byte-string and set keys
  static final Dataflow<String, KV<Set<Bytes>, Long>> BYTES_AND_SETS =
      Dataflow.<String>builder()
          .map(
              s -> KV.of(Set.of(Bytes.of(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))), 1L))
          .then(Operators.reduceEpoch(Long::sum))
          .capture()
          .build();

  /** Checked exceptions arrive undeclared: catch Exception and test the type. */
  static List<Epoched<String>> readAll(Dataflow<String, String> flow, List<String> paths) {
    try {
      return Execution.run(flow, Inputs.singleBatch(paths));
    } catch (Exception e) { // the flow's step may throw an IOException, undeclared
      if (e instanceof IOException io) {
        throw new java.io.UncheckedIOException(io);
      }
      throw e;
    }
  }

  public static void main(String[] args) {
    System.out.println(
        Execution.run(TYPED_WORD_COUNT, Inputs.singleBatch(List.of("to be or", "not to be"))));
    System.out.println(
        Execution.run(RUNNING_TOTAL, Inputs.fullyOrdered(List.of(KV.of("a", 1L), KV.of("a", 2L)))));
    System.out.println(Execution.run(TWO_CAPTURES, Inputs.singleBatch(List.of(1, 2))));

    int worker = ROUTING.workerFor(new Point(3, 4), 8); // where that key goes on 8 workers
    System.out.println("Point(3, 4) goes to worker " + worker + " of 8");
    System.out.println(
        Execution.runCluster(
            POINT_COUNT, Inputs.singleBatch(List.of(new Point(3, 4), new Point(3, 4))), 1, 2));
    System.out.println(Execution.run(BYTES_AND_SETS, Inputs.singleBatch(List.of("é", "é", "e"))));

    // ingestion-time epochs on an injectable clock (bytewax's default tumbling_epoch)
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    Iterable<Epoched<String>> byArrival =
        Inputs.tumblingEpoch(List.of("a", "b"), Duration.ofSeconds(10), clock);
    System.out.println(byArrival.iterator().next());

    // numeric timestamps: lengths in the same unit (milliseconds here)
    List<Event> events =
        List.of(new Event(1_000, "a"), new Event(2_500, "b"), new Event(12_000, "c"));
    Iterable<Epoched<Event>> epochs =
        Inputs.tumblingEpoch(
            Inputs.sortedWindow(events, 2_000, Event::millis), 5_000, Event::millis);
    epochs.forEach(System.out::println);
  }
}
