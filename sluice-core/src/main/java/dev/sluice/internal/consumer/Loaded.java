package dev.sluice.internal.consumer;

import dev.sluice.Record;

/**
 * A record as read for a consumer: its raw bytes, and its decoded value or why it could not be
 * decoded.
 *
 * @param raw the record as stored
 * @param decoded the decoded record (value null if undecodable)
 * @param failure the decoding failure, or null
 */
record Loaded<T>(Record<byte[]> raw, Record<T> decoded, Exception failure) {}
