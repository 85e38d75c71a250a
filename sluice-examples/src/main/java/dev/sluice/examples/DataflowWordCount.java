package dev.sluice.examples;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.Inputs;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.Outputs;
import dev.sluice.dataflow.StreamInput;
import java.util.Arrays;
import java.util.List;

/** The word counts of docs/DATAFLOW.md: in memory on one worker, and from a stream on four. */
public final class DataflowWordCount {
  private DataflowWordCount() {}

  /** A word and how often it occurred in one epoch. */
  public record Count(String word, long count) {}

  static final Dataflow<String, KV<String, Long>> WORD_COUNT =
      Dataflow.<String>builder()
          .flatMap(line -> Arrays.asList(line.split(" ")))
          .map(word -> KV.of(word, 1L))
          .reduceEpoch(Long::sum)
          .capture()
          .build();

  /** Counts words of in-memory lines on the calling thread. */
  static List<Epoched<KV<String, Long>>> inMemory(List<String> lines) {
    return Execution.run(WORD_COUNT, Inputs.singleBatch(lines));
  }

  /** Counts the words of a stream, 1,000 records per epoch, on 4 workers, into another stream. */
  static void fromStream(Store store) {
    EventStream<String> lines = store.stream("lines", String.class);
    StreamInput<String> input = StreamInput.upToEnd(lines);
    Dataflow<Record<String>, Count> flow =
        Dataflow.<Record<String>>builder()
            .map(Record::value)
            .flatMap(line -> Arrays.asList(line.split(" ")))
            .map(word -> KV.of(word, 1L))
            .reduceEpoch(Long::sum)
            .map(kv -> new Count(kv.key(), kv.value()))
            .capture()
            .build();
    Execution.spawnCluster(
        flow,
        (i, n) -> StreamInput.epochsByOffset(input.share(i, n), 1_000),
        Outputs.toStream(store.stream("word-counts", Count.class)),
        1,
        4);
  }

  public static void main(String[] args) {
    System.out.println(inMemory(List.of("to be or", "not to be")));
    try (Store store = Sluice.open("mem:")) {
      store.stream("lines", String.class).appendAll(List.of("to be or", "not to be"));
      fromStream(store);
      store.stream("word-counts", Count.class).read(0, 100).forEach(System.out::println);
    }
  }
}
