/**
 * Apache Kafka for Sluice: {@link dev.sluice.kafka.KafkaSource} loads topics into a stream, {@link
 * dev.sluice.kafka.KafkaSink} writes a consumer's results to a topic, and the {@code kafka://}
 * store (found through {@link dev.sluice.spi.StoreProvider}) keeps streams as topics.
 */
package dev.sluice.kafka;
