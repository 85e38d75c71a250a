package dev.sluice.examples;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.Execution;
import dev.sluice.dataflow.Inputs;
import dev.sluice.dataflow.KV;
import dev.sluice.dataflow.Parse;
import dev.sluice.kafka.streams.KafkaStreamsRunner;
import java.time.Duration;
import java.util.List;

/**
 * The word count of docs/DATAFLOW.md, "Running across machines": the same compiled flow on a laptop
 * and on Kafka Streams.
 */
public final class DataflowAcrossMachines {
  private DataflowAcrossMachines() {}

  /** On a laptop: the local engine. */
  static List<Epoched<KV<String, Long>>> onALaptop(List<String> lines) {
    return Execution.run(DataflowWordCount.WORD_COUNT, Inputs.singleBatch(lines));
  }

  /**
   * On several machines: lines appended to a stream of the {@code kafka://} store, counted per
   * one-minute epoch of their store timestamps by every JVM that runs this with the same
   * application id, captures on the topic {@code counts}.
   */
  static List<Epoched<KV<String, Long>>> onKafka(String servers, String lines, String counts) {
    try (Store store = Sluice.open("kafka://" + servers)) {
      EventStream<String> stream = store.stream(lines, String.class);
      stream.appendAll(List.of("to be or", "not to be"));
    }
    KafkaStreamsRunner runner =
        KafkaStreamsRunner.on("kafka://" + servers)
            .applicationId("word-count-" + counts)
            .input(lines) // the stream's topic
            .output(counts)
            .inputCodec(Codecs.json(String.class)) // the store's codec for String values
            .epochLength(Duration.ofMinutes(1));
    runner.endInput(); // a bounded run: its input ends here
    runner.run(DataflowWordCount.WORD_COUNT); // blocks until every epoch is counted
    return runner.captured(DataflowWordCount.WORD_COUNT, Duration.ofSeconds(30));
  }

  /**
   * bytewax's {@code cluster_main}: with {@code SLUICE_ADDRESSES} naming several processes and
   * {@code SLUICE_KAFKA=kafka://host:port}, each process runs its workers on Kafka Streams.
   */
  static void clusterMain(List<String> lines) {
    Execution.clusterMain(
        DataflowWordCount.WORD_COUNT,
        (i, n) -> Inputs.singleBatch(Inputs.distribute(lines, i, n)),
        (i, n) -> pair -> System.out.println(pair),
        Parse.procEnv());
  }

  public static void main(String[] args) {
    System.out.println(onALaptop(List.of("to be or", "not to be")));
  }
}
