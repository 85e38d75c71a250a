package dev.sluice.dataflow;

/**
 * A key and a value: the item type that keyed steps ({@code reduce}, {@code reduceEpoch}, {@code
 * reduceEpochLocal}, {@code statefulMap}) take and emit, like bytewax's {@code (key, value)}
 * 2-tuples.
 *
 * <p>Immutable when its key and value are. Keyed steps route by a stable hash of the key, so the
 * key must be one of the types listed in {@link Dataflow} (String, integral numbers, Boolean, UUID,
 * enums, and records and {@code List.of} built from those); the value may be anything but null.
 *
 * @param key the key; routes the pair to a worker
 * @param value the value
 * @param <K> the key type
 * @param <V> the value type
 */
public record KV<K, V>(K key, V value) {

  /** Creates a pair; a shorthand for the constructor that reads well in lambdas. */
  public static <K, V> KV<K, V> of(K key, V value) {
    return new KV<>(key, value);
  }
}
