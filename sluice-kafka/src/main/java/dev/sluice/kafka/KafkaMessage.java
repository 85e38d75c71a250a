package dev.sluice.kafka;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One message read from a Kafka topic by a {@link KafkaSource}, with where it came from.
 *
 * <p>Java records encode as JSON, so a stream of {@code KafkaMessage<T>} keeps the source position,
 * key and headers beside the value.
 *
 * @param topic the topic it was read from
 * @param partition the topic partition
 * @param offset its offset in that partition
 * @param timestamp the Kafka record timestamp
 * @param key the key as UTF-8 text, or {@code null}
 * @param headers the headers as UTF-8 text (a repeated header keeps its last value)
 * @param value the decoded value
 * @param <T> the value type
 */
public record KafkaMessage<T>(
    String topic,
    int partition,
    long offset,
    Instant timestamp,
    String key,
    Map<String, String> headers,
    T value) {
  /** Checks the fields and copies the headers. */
  public KafkaMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(timestamp, "timestamp");
    headers = Map.copyOf(headers);
  }
}
