/**
 * Runs a {@link dev.sluice.dataflow.Dataflow} across machines on Kafka Streams: {@link
 * dev.sluice.kafka.streams.KafkaStreamsRunner} translates the flow's steps into a topology (keyed
 * steps exchange items through topics partitioned by the flow's stable key hash, state lives in
 * changelogged stores), and {@code Execution.clusterMain} with several addresses uses it when this
 * module is on the classpath. Implementations live in {@code dev.sluice.kafka.streams.internal}.
 */
package dev.sluice.kafka.streams;
