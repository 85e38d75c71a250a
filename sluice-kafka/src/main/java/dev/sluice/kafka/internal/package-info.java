/**
 * The {@code kafka://} store: streams as topics, appends through the idempotent (and, for batches,
 * transactional) producer, reads with {@code read_committed} consumers, metadata from the admin
 * client. Not public API.
 */
package dev.sluice.kafka.internal;
