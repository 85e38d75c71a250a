package dev.sluice.dataflow;

/**
 * Encodes a key of a user's type into a value that has a stable hash — a String, integral number,
 * Boolean, UUID, enum, {@link Bytes}, or a record, {@code List.of} or {@code Set.of} of those — for
 * routing by {@link KeyRouting}. Register it with {@link KeyRouting#with(Class, KeyEncoder)}.
 *
 * <p>It must be a pure function of the key's value: equal keys give equal encodings, in every run
 * and every JVM (so no identity hash codes, no floating point, no time). Called by worker threads,
 * possibly at once.
 *
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeyEncoder<K> {
  /**
   * Encodes one key.
   *
   * @param key the key; not null
   * @return a value of a type with a stable hash, other than {@code K}
   */
  Object encode(K key);
}
