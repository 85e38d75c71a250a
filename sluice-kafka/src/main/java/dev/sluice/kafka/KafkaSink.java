package dev.sluice.kafka;

import dev.sluice.CodecException;
import dev.sluice.Codecs;
import dev.sluice.SluiceException;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Sink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes a consumer's results to a Kafka topic with the idempotent producer ({@code acks=all}).
 * {@link #writeAll} returns only after every message it sent is acknowledged by the cluster, so the
 * window commits only after its output is in Kafka: at-least-once (a window retried after a crash
 * is written again).
 *
 * <pre>{@code
 * try (KafkaSink<Object> totals = KafkaSink.builder("broker:9092", "totals").expand(true).build()) {
 *   store.streaming("orders").size(100).process(w -> summarize(w)).sink(totals).start();
 * }
 * }</pre>
 *
 * <p>Values are JSON by default; {@link Builder#codec} takes any {@link Codec}. With {@link
 * Builder#expand(boolean) expand(true)} a result that is a {@link Collection} becomes one message
 * per element (minibatch's {@code expand=True}). Thread-safe.
 *
 * @param <T> the result type it takes
 */
public final class KafkaSink<T> implements Sink<T> {
  private final String topic;
  private final Codec<Object> codec;
  private final Function<Object, String> key;
  private final boolean expand;
  private final KafkaProducer<byte[], byte[]> producer;

  private KafkaSink(Builder<T> b) {
    this.topic = b.topic;
    this.codec = b.codec;
    this.key = b.key;
    this.expand = b.expand;
    Map<String, Object> configs = new HashMap<>(b.configs);
    configs.put("bootstrap.servers", b.bootstrapServers);
    configs.put("enable.idempotence", "true");
    configs.put("acks", "all");
    configs.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    configs.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    this.producer = new KafkaProducer<>(configs);
  }

  /** A builder for a sink producing to {@code topic} of the cluster at {@code bootstrapServers}. */
  public static Builder<Object> builder(String bootstrapServers, String topic) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    if (bootstrapServers.isBlank() || topic.isBlank()) {
      throw new IllegalArgumentException(
          "a Kafka sink needs bootstrap servers and a topic: \""
              + bootstrapServers
              + "\", \""
              + topic
              + "\"");
    }
    return new Builder<>(bootstrapServers, topic);
  }

  /** The topic it writes to. */
  public String topic() {
    return topic;
  }

  @Override
  public void write(T value) throws Exception {
    writeAll(List.of(value));
  }

  /**
   * Sends the values (each element of a collection with {@code expand(true)}) in order and waits
   * until the cluster acknowledged all of them.
   *
   * @throws CodecException if a value cannot be encoded; nothing of this call was sent
   * @throws SluiceException if Kafka refused a message
   */
  @Override
  public void writeAll(List<? extends T> values) throws Exception {
    List<ProducerRecord<byte[], byte[]>> messages = records(values);
    List<Future<RecordMetadata>> sent = new ArrayList<>(messages.size());
    for (ProducerRecord<byte[], byte[]> m : messages) {
      sent.add(producer.send(m));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new SluiceException(
            "Kafka refused a message for topic " + topic + ": " + e.getCause(), e.getCause());
      }
    }
  }

  /** Encodes every value first, so a value the codec rejects sends nothing. */
  List<ProducerRecord<byte[], byte[]>> records(List<? extends T> values) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(values.size());
    for (T value : values) {
      if (expand && value instanceof Collection<?> many) {
        for (Object element : many) {
          out.add(record(element));
        }
      } else {
        out.add(record(value));
      }
    }
    return out;
  }

  private ProducerRecord<byte[], byte[]> record(Object value) {
    Objects.requireNonNull(value, "a Kafka sink cannot write null");
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (Exception e) {
      throw new CodecException(
          "cannot encode a result for Kafka topic "
              + topic
              + " with "
              + codec.describe()
              + ": "
              + e,
          e);
    }
    String k = key.apply(value);
    return new ProducerRecord<>(
        topic, k == null ? null : k.getBytes(StandardCharsets.UTF_8), bytes);
  }

  @Override
  public void close() {
    producer.close();
  }

  @Override
  public String toString() {
    return "KafkaSink(" + topic + ")";
  }

  /**
   * Describes a {@link KafkaSink}.
   *
   * @param <T> the result type
   */
  public static final class Builder<T> {
    private final String bootstrapServers;
    private final String topic;
    private final Map<String, Object> configs = new LinkedHashMap<>();
    private Codec<Object> codec = Codecs.json(Object.class);
    private Function<Object, String> key = v -> null;
    private boolean expand;

    private Builder(String bootstrapServers, String topic) {
      this.bootstrapServers = bootstrapServers;
      this.topic = topic;
    }

    /** Encodes results (or, with {@code expand}, their elements) with {@code codec}. */
    @SuppressWarnings("unchecked")
    public <W> Builder<W> codec(Codec<? super W> codec) {
      Objects.requireNonNull(codec, "codec");
      Builder<W> b = (Builder<W>) (Builder<?>) this;
      b.codec = (Codec<Object>) codec;
      return b;
    }

    /** The message key of each written value (or element); default none. */
    @SuppressWarnings("unchecked")
    public Builder<T> key(Function<? super T, String> key) {
      Objects.requireNonNull(key, "key");
      this.key = v -> ((Function<Object, String>) (Function<?, String>) key).apply(v);
      return this;
    }

    /** Whether a result that is a collection becomes one message per element; default false. */
    public Builder<T> expand(boolean expand) {
      this.expand = expand;
      return this;
    }

    /**
     * Passes a Kafka producer config through ({@code linger.ms}, {@code compression.type}, ...).
     * Sluice owns the serializers, {@code acks=all} and {@code enable.idempotence=true}.
     */
    public Builder<T> config(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      configs.put(key, value);
      return this;
    }

    /** Creates the sink and its producer. */
    public KafkaSink<T> build() {
      return new KafkaSink<>(this);
    }
  }
}
