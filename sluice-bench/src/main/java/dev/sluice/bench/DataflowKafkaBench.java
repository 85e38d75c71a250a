package dev.sluice.bench;

import dev.sluice.Codecs;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.KV;
import dev.sluice.kafka.streams.DataflowRun;
import dev.sluice.kafka.streams.KafkaStreamsRunner;
import dev.sluice.spi.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Word count per epoch on Kafka Streams, Sluice's runner against a hand-written Kafka Streams word
 * count on the same broker and the same seeded text, side by side in one run: {@code dataflow-kafka
 * BOOTSTRAP [rounds=5] [lines=100000]}. The broker runs in a JVM of its own
 * (sluice-bench/kafka-broker.sh).
 *
 * <p>The text is {@code lines} lines of 8 words from a 2,000-word vocabulary (seed 42), 5,000 lines
 * per one-second epoch by record timestamp, on an input topic of 2 partitions; a last line of
 * sentinel words per partition, far in the future, closes every epoch. Both sides run with
 * exactly-once and a 100 ms commit interval and one stream thread, and are timed from start until
 * the latest counts of every (epoch, word) on the output, read committed, add up to every word. The
 * hand-written side is the classic Kafka Streams word count keyed by {@code epoch/word} ({@code
 * processValues → flatMapValues → map → groupByKey → count → toStream → to}, Kafka Streams' default
 * record cache and RocksDB store); Sluice's is {@code flatMapArray → map(KV(word, 1)) →
 * reduceEpoch(Long::sum) → capture}. Also two Sluice instances (in this JVM) against one.
 */
public final class DataflowKafkaBench {
  private static final int PARTITIONS = 2;
  private static final int WORDS_PER_LINE = 8;
  private static final int LINES_PER_EPOCH = 5_000;
  private static final Duration EPOCH = Duration.ofSeconds(1);

  private final String bootstrap;
  private final String input;
  private final int expected;
  private final long words;
  private final Path stateRoot;
  private int runs;

  private DataflowKafkaBench(String bootstrap, int lines) throws Exception {
    this.bootstrap = bootstrap;
    this.input = "dataflow-bench-lines-" + System.nanoTime();
    this.stateRoot = Files.createTempDirectory("dataflow-kafka-bench");
    this.words = (long) lines * WORDS_PER_LINE;
    this.expected = writeInput(lines);
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: dataflow-kafka BOOTSTRAP [rounds=5] [lines=100000]");
      System.exit(2);
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int lines = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    DataflowKafkaBench b = new DataflowKafkaBench(args[0], lines);
    System.out.printf(
        Locale.ROOT,
        "dataflow-kafka benchmark: broker %s, %,d lines of %d words (%,d words), %d partitions,"
            + " %,d (epoch, word) results, exactly-once, commit 100 ms, 1 stream thread per"
            + " instance, round 0 warm-up, median of %d rounds%n  cpu: %s%n  load before: %s%n",
        args[0],
        lines,
        WORDS_PER_LINE,
        (long) lines * WORDS_PER_LINE,
        PARTITIONS,
        b.expected,
        rounds,
        Measure.cpu(),
        Measure.load());
    long words = (long) lines * WORDS_PER_LINE;
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) {
      record(rates, round, "hand-written Kafka Streams", words / b.handWritten());
      record(rates, round, "Sluice runner, 1 instance", words / b.sluice(1));
      record(rates, round, "Sluice runner, 2 instances", words / b.sluice(2));
      System.out.printf(Locale.ROOT, "  round %d done; load %s%n", round, Measure.load());
    }
    System.out.printf(Locale.ROOT, "  load after: %s%n", Measure.load());
    double base = Measure.median(rates.get("hand-written Kafka Streams"));
    double one = Measure.median(rates.get("Sluice runner, 1 instance"));
    double two = Measure.median(rates.get("Sluice runner, 2 instances"));
    System.out.printf(
        Locale.ROOT,
        "| scenario | words/s | ratio |%n|---|---:|---:|%n"
            + "| hand-written Kafka Streams word count | %,.0f | 1.00 |%n"
            + "| Sluice runner, 1 instance | %,.0f | **%.2f** (target >= 0.8) |%n"
            + "| Sluice runner, 2 instances in one JVM | %,.0f | %.2f (%.2f of 1 instance) |%n",
        base,
        one,
        one / base,
        two,
        two / base,
        two / one);
    Map<String, Double> bars = new LinkedHashMap<>();
    bars.put("hand-written KS", 1.0);
    bars.put("Sluice, 1 instance", Math.round(one / base * 100) / 100.0);
    bars.put("Sluice, 2 instances", Math.round(two / base * 100) / 100.0);
    Path chart =
        Charts.bars(
            "dataflow-kafka",
            "Word count per epoch on Kafka Streams, ratio to hand-written (words/s)",
            "ratio to hand-written Kafka Streams",
            bars);
    System.out.println("  chart: " + chart);
  }

  private static void record(Map<String, List<Double>> rates, int round, String name, double r) {
    System.out.printf(Locale.ROOT, "    %s: %,.0f words/s%n", name, r);
    if (round > 0) {
      rates.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    }
  }

  static Dataflow<String, KV<String, Long>> flow() {
    return Dataflow.<String>builder()
        .flatMapArray((String line) -> line.split(" "))
        .map(word -> KV.of(word, 1L))
        .reduceEpoch(Long::sum)
        .capture()
        .build();
  }

  /** Writes the seeded text; returns how many distinct (epoch, word) pairs it holds. */
  private int writeInput(int lines) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(input, PARTITIONS, (short) 1))).all().get();
    }
    Random random = new Random(42);
    long base = (System.currentTimeMillis() / 1000 - 4 * 3600) * 1000;
    Set<String> results = new HashSet<>();
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "5");
    p.put("batch.size", "262144");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      Future<RecordMetadata> last = null;
      for (int i = 0; i < lines; i++) {
        StringBuilder line = new StringBuilder();
        long epoch = i / LINES_PER_EPOCH;
        for (int w = 0; w < WORDS_PER_LINE; w++) {
          String word = "w" + random.nextInt(2_000);
          line.append(w == 0 ? "" : " ").append(word);
          results.add(epoch + "/" + word);
        }
        last =
            producer.send(
                new ProducerRecord<>(
                    input,
                    i % PARTITIONS,
                    base + epoch * EPOCH.toMillis(),
                    null,
                    line.toString().getBytes(StandardCharsets.UTF_8)));
      }
      long future = base + (lines / LINES_PER_EPOCH + 100) * EPOCH.toMillis();
      StringBuilder sentinel = new StringBuilder();
      for (int w = 0; w < 64; w++) {
        sentinel.append(w == 0 ? "" : " ").append("end").append(w);
      }
      for (int partition = 0; partition < PARTITIONS; partition++) {
        last =
            producer.send(
                new ProducerRecord<>(
                    input,
                    partition,
                    future,
                    null,
                    sentinel.toString().getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
      last.get();
    }
    return results.size();
  }

  private String fresh(String what) throws Exception {
    String topic = "dataflow-bench-" + what + "-" + System.nanoTime() + "-" + runs++;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    }
    return topic;
  }

  /** Seconds until the hand-written word count's latest counts add up to every word. */
  private double handWritten() throws Exception {
    String output = fresh("ks-out");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.String()))
        .processValues(EpochOfRecord::new)
        .flatMapValues(line -> Arrays.asList(line.split(" ")))
        .filter((key, word) -> !word.startsWith("@"))
        .map((key, word) -> KeyValue.pair(word, word))
        .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .count()
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
    Properties props = new Properties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, output);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(output).toString());
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    long start = System.nanoTime();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      awaitCounts(output, false);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** Prefixes each word of a line with the line's epoch (its timestamp in epoch-sized buckets). */
  private static final class EpochOfRecord implements FixedKeyProcessor<byte[], String, String> {
    private FixedKeyProcessorContext<byte[], String> context;

    @Override
    public void init(FixedKeyProcessorContext<byte[], String> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], String> record) {
      String epoch = Long.toString(record.timestamp() / EPOCH.toMillis());
      if (record.value().startsWith("end")) {
        context.forward(record.withValue("@"));
        return;
      }
      context.forward(
          record.withValue(epoch + "/" + record.value().replace(" ", " " + epoch + "/")));
    }
  }

  /** Seconds until {@code instances} Sluice instances have written every final count. */
  private double sluice(int instances) throws Exception {
    String output = fresh("sluice-out");
    KafkaStreamsRunner runner =
        KafkaStreamsRunner.on(bootstrap)
            .applicationId(output)
            .input(input)
            .output(output)
            .inputCodec(Codecs.string())
            .epochLength(EPOCH)
            .commitInterval(Duration.ofMillis(100));
    List<DataflowRun> running = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int i = 0; i < instances; i++) {
        running.add(runner.stateDir(stateRoot.resolve(output + "-" + i)).start(flow()));
      }
      awaitCounts(output, true);
      return (System.nanoTime() - start) / 1e9;
    } finally {
      for (DataflowRun run : running) {
        run.close();
      }
    }
  }

  /**
   * Waits until the latest count of every (epoch, word) on the output adds up to every word of the
   * text: the run has counted everything. Sluice's captures are typed {@code KV(word, count)}.
   */
  private void awaitCounts(String output, boolean sluice) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("isolation.level", "read_committed");
    Codec<Object> typed = KafkaStreamsRunner.typedCodec();
    Map<String, Long> latest = new HashMap<>();
    long sum = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        partitions.add(new TopicPartition(output, i));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (sum < words) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException(
              "counts on " + output + " add up to " + sum + " of " + words + " after 5 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
          String key;
          long count;
          if (sluice) {
            if (r.value() == null) {
              continue;
            }
            KV<?, ?> kv;
            try {
              kv = (KV<?, ?>) typed.decode(r.value());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            key =
                ByteBuffer.wrap(r.headers().lastHeader(KafkaStreamsRunner.EPOCH_HEADER).value())
                        .getLong()
                    + "/"
                    + kv.key();
            count = (Long) kv.value();
          } else {
            key = new String(r.key(), StandardCharsets.UTF_8);
            count = ByteBuffer.wrap(r.value()).getLong();
          }
          Long before = latest.put(key, count);
          sum += count - (before == null ? 0 : before);
        }
      }
    }
  }
}
