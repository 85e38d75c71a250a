package dev.sluice.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.spi.Codec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads Kafka topics into a stream: every message of the topics is decoded and appended, and the
 * source's consumer group commits its Kafka offsets only after those appends are durable.
 *
 * <pre>{@code
 * KafkaSource<Map<String, Object>> source =
 *     KafkaSource.builder("broker:9092", "orders").group("orders-loader").build();
 * try (EventStream.Attachment loading = source.attach(store, "orders")) { ... }
 * }</pre>
 *
 * <p><b>Delivery.</b> At-least-once: a crash between an append and the offset commit appends the
 * messages since the last commit again when the source restarts, so the stream may hold duplicates;
 * nothing is lost. A message whose value the codec cannot decode (or a tombstone with no value) is
 * appended to the stream's dead-letter stream {@code <stream>.dlq} with its topic, partition,
 * offset, key, headers and the error, and the source goes on.
 *
 * <p>The Kafka key becomes the record's key. {@link Builder#buildMessages()} makes a source of
 * {@link KafkaMessage}s that keep the topic, partition, offset, timestamp and headers beside the
 * value.
 *
 * <p>Immutable and thread-safe; each {@link #attach} runs its own Kafka consumer on its own thread.
 *
 * @param <T> what it appends
 */
public final class KafkaSource<T> {
  final Map<String, Object> configs;
  final List<String> topics;
  final Codec<?> valueCodec;
  final Function<KafkaMessage<Object>, T> shape;
  final Codec<T> streamCodec;

  private KafkaSource(
      Map<String, Object> configs,
      List<String> topics,
      Codec<?> valueCodec,
      Function<KafkaMessage<Object>, T> shape,
      Codec<T> streamCodec) {
    this.configs = configs;
    this.topics = topics;
    this.valueCodec = valueCodec;
    this.shape = shape;
    this.streamCodec = streamCodec;
  }

  /**
   * A builder for a source reading {@code topics} from the cluster at {@code bootstrapServers}
   * ({@code host:port[,host:port]}), values as JSON objects.
   *
   * @throws IllegalArgumentException if no topic is given or a name is blank
   */
  public static Builder<Map<String, Object>> builder(String bootstrapServers, String... topics) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must be host:port[,host:port]: \"\"");
    }
    if (topics.length == 0) {
      throw new IllegalArgumentException("a Kafka source needs at least one topic");
    }
    for (String topic : topics) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("topic names must not be blank: " + topic);
      }
    }
    return new Builder<>(bootstrapServers, List.copyOf(Arrays.asList(topics)), Codecs.json());
  }

  /**
   * Starts loading into {@code stream} of {@code store} (created on first use, values encoded with
   * this source's codec), on a thread of its own, until the returned handle is closed.
   */
  public EventStream.Attachment attach(Store store, String stream) {
    Objects.requireNonNull(store, "store");
    return attach(store.stream(stream, streamCodec), store.deadLetters(stream));
  }

  /**
   * Starts loading into {@code target}, sending undecodable messages to {@code deadLetters} (get it
   * with {@link Store#deadLetters}), on a thread of its own, until the returned handle is closed.
   */
  public EventStream.Attachment attach(
      EventStream<? super T> target, EventStream<Map<String, Object>> deadLetters) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(deadLetters, "deadLetters");
    return new SourceLoop<>(this, target, deadLetters);
  }

  @Override
  public String toString() {
    return "KafkaSource" + topics;
  }

  /**
   * Describes a {@link KafkaSource}.
   *
   * @param <V> the value type
   */
  public static final class Builder<V> {
    private final String bootstrapServers;
    private final List<String> topics;
    private final Codec<V> codec;
    private final Map<String, Object> configs = new LinkedHashMap<>();
    private String group = "sluice-source";

    private Builder(String bootstrapServers, List<String> topics, Codec<V> codec) {
      this.bootstrapServers = bootstrapServers;
      this.topics = topics;
      this.codec = codec;
    }

    /** Decodes values with {@code codec} instead of JSON objects. */
    public <W> Builder<W> codec(Codec<W> codec) {
      Objects.requireNonNull(codec, "codec");
      Builder<W> b = new Builder<>(bootstrapServers, topics, codec);
      b.configs.putAll(configs);
      b.group = group;
      return b;
    }

    /** The Kafka consumer group whose offsets record progress; default {@code sluice-source}. */
    public Builder<V> group(String group) {
      Objects.requireNonNull(group, "group");
      if (group.isBlank()) {
        throw new IllegalArgumentException("a Kafka consumer group must not be blank");
      }
      this.group = group;
      return this;
    }

    /**
     * Where a new group starts: {@code true} for the earliest message (the default), {@code false}
     * for messages arriving after it first joins.
     */
    public Builder<V> fromEarliest(boolean earliest) {
      configs.put("auto.offset.reset", earliest ? "earliest" : "latest");
      return this;
    }

    /**
     * Passes a Kafka consumer config through ({@code security.protocol}, {@code max.poll.records},
     * ...). Sluice owns the deserializers, {@code group.id} and {@code enable.auto.commit}.
     */
    public Builder<V> config(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      configs.put(key, value);
      return this;
    }

    /** A source appending the decoded values. */
    @SuppressWarnings("unchecked")
    public KafkaSource<V> build() {
      return new KafkaSource<>(configs(), topics, codec, m -> (V) m.value(), codec);
    }

    /**
     * A source appending each value in a {@link KafkaMessage} with its topic, partition, offset,
     * timestamp, key and headers. The stream {@link KafkaSource#attach(Store, String)} creates
     * encodes them as JSON (read it back with {@code Codecs.json(new
     * TypeReference<KafkaMessage<V>>() {})}).
     */
    @SuppressWarnings("unchecked")
    public KafkaSource<KafkaMessage<V>> buildMessages() {
      Codec<KafkaMessage<V>> json =
          (Codec<KafkaMessage<V>>)
              (Codec<?>) Codecs.json(new TypeReference<KafkaMessage<Object>>() {});
      return new KafkaSource<>(configs(), topics, codec, m -> (KafkaMessage<V>) (Object) m, json);
    }

    private Map<String, Object> configs() {
      Map<String, Object> all = new LinkedHashMap<>(configs);
      all.put("bootstrap.servers", bootstrapServers);
      all.put("group.id", group);
      all.putIfAbsent("auto.offset.reset", "earliest");
      all.put("enable.auto.commit", "false");
      all.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
      all.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
      return Map.copyOf(all);
    }
  }
}
