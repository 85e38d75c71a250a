package dev.sluice.kafka.streams;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.Epoched;
import dev.sluice.kafka.streams.internal.Io;
import dev.sluice.kafka.streams.internal.ItemCodec;
import dev.sluice.kafka.streams.internal.Plans;
import dev.sluice.spi.Codec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link Dataflow} on Kafka Streams, so that the same flow that {@link
 * dev.sluice.dataflow.Execution#run} runs on a laptop runs across machines: every JVM that starts
 * the same flow with the same {@link #applicationId} takes a share of the input topic's partitions.
 *
 * <pre>{@code
 * KafkaStreamsRunner runner =
 *     KafkaStreamsRunner.on("kafka://broker:9092")
 *         .applicationId("word-count")
 *         .input("lines")
 *         .output("counts");
 * runner.run(wordCount);   // on each machine; returns once the input has ended
 * }</pre>
 *
 * <p><b>Epochs.</b> An input record's epoch is its {@value #EPOCH_HEADER} header (an 8-byte
 * big-endian long) if it has one, else its timestamp divided by {@link #epochLength} (default one
 * second). An epoch is complete on an input partition once that partition's stream time has passed
 * the epoch's end plus the {@link #grace} (default zero: once an item of a later epoch arrived),
 * and complete at a keyed step once every upstream task has said so. Items of an epoch that is
 * already complete on their partition are late: they are dropped and logged. A record with an
 * {@value #END_HEADER} header ends its partition's input, which completes every epoch there.
 *
 * <p><b>Guarantees.</b> With {@link #exactlyOnce} (the default) every captured item is on the
 * output topic exactly once for readers that read committed records, also after an instance was
 * killed and restarted; step functions may run more than once. State lives in Kafka Streams stores
 * with changelog topics.
 *
 * <p>Immutable: every setter returns a new runner. Thread-safe.
 */
public final class KafkaStreamsRunner {
  /** The header that gives an input record's epoch, and that captured records carry. */
  public static final String EPOCH_HEADER = "sluice-epoch";

  /** The header that marks the end of an input partition, and a task's end on the output. */
  public static final String END_HEADER = "sluice-end";

  private final Io.Settings settings;

  private KafkaStreamsRunner(Io.Settings settings) {
    this.settings = settings;
  }

  /**
   * A runner on the Kafka cluster at {@code servers}: {@code host:port[,host:port]} or a store URL
   * {@code kafka://host:port[,host:port]}.
   *
   * @throws IllegalArgumentException if {@code servers} is empty
   */
  public static KafkaStreamsRunner on(String servers) {
    Objects.requireNonNull(servers, "servers must not be null");
    String bootstrap = Io.bootstrap(servers);
    return new KafkaStreamsRunner(Io.Settings.defaults(bootstrap));
  }

  /**
   * The Kafka Streams application id: instances with the same id share the work and the state; also
   * the prefix of the run's exchange and changelog topics. Required.
   */
  public KafkaStreamsRunner applicationId(String id) {
    return new KafkaStreamsRunner(
        settings.with(d -> d.applicationId = Io.checkName("applicationId", id)));
  }

  /** The topic to read; for a stream of a {@code kafka://} store, the stream's topic. Required. */
  public KafkaStreamsRunner input(String topic) {
    return new KafkaStreamsRunner(settings.with(d -> d.input = Io.checkName("input topic", topic)));
  }

  /** The topic captures go to, with their epoch in the {@value #EPOCH_HEADER} header. Required. */
  public KafkaStreamsRunner output(String topic) {
    return new KafkaStreamsRunner(
        settings.with(d -> d.output = Io.checkName("output topic", topic)));
  }

  /**
   * The partition count of topics the runner creates (input, output, exchanges) when the input does
   * not exist yet; by default the input topic's count. The partitions are the unit of parallelism:
   * partition {@code p} behaves as worker {@code p} of {@code Execution.runCluster}.
   *
   * @throws IllegalArgumentException if below 1
   */
  public KafkaStreamsRunner partitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
    }
    return new KafkaStreamsRunner(settings.with(d -> d.partitions = partitions));
  }

  /**
   * How long one epoch is for records without an {@value #EPOCH_HEADER} header: epoch = timestamp /
   * length. Default one second.
   *
   * @throws IllegalArgumentException if not at least one millisecond
   */
  public KafkaStreamsRunner epochLength(Duration length) {
    Objects.requireNonNull(length, "length must not be null");
    if (length.toMillis() < 1) {
      throw new IllegalArgumentException("epochLength must be at least 1 ms: " + length);
    }
    return new KafkaStreamsRunner(settings.with(d -> d.epochMillis = length.toMillis()));
  }

  /**
   * How long past an epoch's end stream time must be before the epoch completes, so that items up
   * to this late still count. Default zero.
   *
   * @throws IllegalArgumentException if negative
   */
  public KafkaStreamsRunner grace(Duration grace) {
    Objects.requireNonNull(grace, "grace must not be null");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    return new KafkaStreamsRunner(settings.with(d -> d.graceMillis = grace.toMillis()));
  }

  /**
   * Stream threads in this JVM (bytewax's workers per process). Default 1.
   *
   * @throws IllegalArgumentException if below 1
   */
  public KafkaStreamsRunner threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
    return new KafkaStreamsRunner(settings.with(d -> d.threads = threads));
  }

  /** Exactly-once processing (Kafka Streams' {@code exactly_once_v2}); default true. */
  public KafkaStreamsRunner exactlyOnce(boolean exactlyOnce) {
    return new KafkaStreamsRunner(settings.with(d -> d.exactlyOnce = exactlyOnce));
  }

  /**
   * How often progress is committed; captures become visible to committed readers at each commit.
   * Default 100 ms.
   */
  public KafkaStreamsRunner commitInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval must not be null");
    return new KafkaStreamsRunner(
        settings.with(d -> d.commitMillis = Math.max(1, interval.toMillis())));
  }

  /** Where Kafka Streams keeps this JVM's task directories; default Kafka Streams' own. */
  public KafkaStreamsRunner stateDir(Path dir) {
    Objects.requireNonNull(dir, "dir must not be null");
    return new KafkaStreamsRunner(settings.with(d -> d.stateDir = dir.toString()));
  }

  /**
   * How input values become items; default the runner's own typed encoding, which {@link #append}
   * writes. For a stream of a {@code kafka://} store, the store's codec, such as {@code
   * Codecs.json(Order.class)}.
   */
  @SuppressWarnings("unchecked")
  public KafkaStreamsRunner inputCodec(Codec<?> codec) {
    Objects.requireNonNull(codec, "codec must not be null");
    return new KafkaStreamsRunner(settings.with(d -> d.inputCodec = (Codec<Object>) codec));
  }

  /**
   * How captured items become output values; default the typed encoding {@link #captured} reads.
   */
  @SuppressWarnings("unchecked")
  public KafkaStreamsRunner outputCodec(Codec<?> codec) {
    Objects.requireNonNull(codec, "codec must not be null");
    return new KafkaStreamsRunner(settings.with(d -> d.outputCodec = (Codec<Object>) codec));
  }

  /** Sets any Kafka Streams or client config, such as {@code "max.poll.records"}. */
  public KafkaStreamsRunner property(String name, String value) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(value, "value must not be null");
    Map<String, String> copy = new LinkedHashMap<>(settings.properties());
    copy.put(name, value);
    return new KafkaStreamsRunner(settings.with(d -> d.properties = Map.copyOf(copy)));
  }

  /**
   * Starts this JVM's instance of the run and returns at once; creates missing topics first.
   *
   * @throws IllegalStateException if the application id, input or output is not set
   * @throws SluiceException if the topics cannot be created or their partition counts differ
   */
  public DataflowRun start(Dataflow<?, ?> flow) {
    Objects.requireNonNull(flow, "flow must not be null");
    return Plans.start(flow, settings);
  }

  /**
   * Runs this JVM's instance until the whole run has ended — every input partition ended and every
   * capture was written — then closes it. Blocks.
   *
   * @throws SluiceException if the run failed on any instance; the cause is the exception of the
   *     step that failed, or an {@link InterruptedException} if the calling thread was interrupted
   */
  public void run(Dataflow<?, ?> flow) {
    try (DataflowRun run = start(flow)) {
      run.awaitEnd();
    }
  }

  /**
   * Appends {@code (epoch, item)} pairs to the input topic, the pair at position {@code p} to
   * partition {@code p % partitions}, each with its epoch header, encoded by the input codec; the
   * way {@code Execution.runCluster} hands input to workers. Returns once all are acknowledged.
   */
  public void append(Iterable<? extends Epoched<?>> pairs) {
    Objects.requireNonNull(pairs, "pairs must not be null");
    Io.append(settings, pairs);
  }

  /** Appends an end marker to every partition of the input topic: the input has ended. */
  public void endInput() {
    Io.endInput(settings);
  }

  /**
   * Reads every captured {@code (epoch, item)} of the run from the output topic, committed records
   * only, waiting until the run has ended or {@code timeout} passed; sorted by epoch (within an
   * epoch in no defined order), as {@code Execution.runCluster} returns them.
   *
   * @throws SluiceException if the run has not ended within {@code timeout}
   */
  @SuppressWarnings("unchecked")
  public <O> List<Epoched<O>> captured(Dataflow<?, O> flow, Duration timeout) {
    Objects.requireNonNull(flow, "flow must not be null");
    Objects.requireNonNull(timeout, "timeout must not be null");
    return (List<Epoched<O>>) (List<?>) Io.captured(flow, settings, timeout);
  }

  /**
   * The runner's own typed encoding of items, which {@link #append} and captures use by default.
   */
  public static Codec<Object> typedCodec() {
    return ItemCodec.CODEC;
  }

  @Override
  public String toString() {
    return "KafkaStreamsRunner" + settings;
  }
}
