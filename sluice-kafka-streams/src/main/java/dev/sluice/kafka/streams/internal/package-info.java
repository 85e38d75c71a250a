/**
 * The Kafka Streams runner's implementation: the plan (a flow cut into segments at its keyed
 * steps), the segment processor, the wire formats and the typed item encoding. Not an API.
 */
package dev.sluice.kafka.streams.internal;
