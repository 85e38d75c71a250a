package dev.sluice;

import java.time.Instant;

/**
 * One record of a stream, as read back from a store.
 *
 * @param stream the stream's name
 * @param partition the partition; always 0 on the embedded and in-memory stores
 * @param offset the record's position in its partition, dense from the stream's first offset
 * @param timestamp when the store committed the record; never decreases along offsets
 * @param key the key given at append, or {@code null}
 * @param value the decoded value
 * @param <T> the value type
 */
public record Record<T>(
    String stream, int partition, long offset, Instant timestamp, String key, T value) {}
