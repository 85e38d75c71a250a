package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The routing of keyed steps: which worker owns a key (bytewax's {@code exhash}), by a hash that is
 * the same on every run and in every JVM. Public so that users can compute where a key goes, and
 * extend it to key types of their own.
 *
 * <pre>{@code
 * KeyRouting routing = KeyRouting.standard().with(Point.class, p -> List.of(p.x(), p.y()));
 * int worker = routing.workerFor(new Point(3, 4), 8);             // where that key goes
 * Dataflow<Point, KV<Point, Long>> flow = ... .build().routedBy(routing);
 * }</pre>
 *
 * <p>The standard routing hashes Strings (by {@link String#hashCode()}, fixed by the Java
 * specification), Byte, Short, Integer, Long and BigInteger by value ({@code 1} and {@code 1L}
 * agree), Boolean, UUID, enums by constant name, {@link Bytes} by their bytes, records and {@code
 * List.of} lists by their components in order, and {@code Set.of} sets by their elements in any
 * order; every hash is then spread by the 64-bit MurmurHash3 finalizer, and a key goes to worker
 * {@code hash mod workers} (unsigned). Those hashes are pinned by tests and will not change. Any
 * other type is rejected with its name in the message, unless a {@link KeyEncoder} registered with
 * {@link #with} turns it into one of those types.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyRouting {
  private static final KeyRouting STANDARD = new KeyRouting(new LinkedHashMap<>());

  private final Map<Class<?>, KeyEncoder<Object>> encoders;
  private final KeyHash hash;

  private KeyRouting(LinkedHashMap<Class<?>, KeyEncoder<Object>> encoders) {
    this.encoders = encoders;
    this.hash = encoders.isEmpty() ? KeyHash.standard() : new KeyHash(encoders);
  }

  /** The routing of every flow that sets none: the types listed above, no encoders. */
  public static KeyRouting standard() {
    return STANDARD;
  }

  /**
   * Returns a routing that also accepts keys of {@code type} (and its subtypes), hashed as {@code
   * encoder}'s encoding of them. Encoders are looked up by the key's exact class first, then in the
   * order they were added; they also apply to components of records, lists and sets.
   *
   * @param type the key type; not one that already has a rule of its own (String, the integral
   *     types, Boolean, UUID, {@link Bytes}); records and enums may be given one
   * @param encoder gives the value to hash in place of such a key
   * @param <K> the key type
   * @return a new routing; this one is unchanged
   * @throws IllegalArgumentException if {@code type} has a rule of its own or already an encoder
   */
  @SuppressWarnings("unchecked")
  public <K> KeyRouting with(Class<K> type, KeyEncoder<? super K> encoder) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(encoder, "encoder must not be null");
    if (KeyHash.hasOwnRule(type)) {
      throw new IllegalArgumentException(
          "a key encoding cannot replace the stable hash " + type.getName() + " already has");
    }
    if (encoders.containsKey(type)) {
      throw new IllegalArgumentException("a key encoding is already registered for " + type);
    }
    LinkedHashMap<Class<?>, KeyEncoder<Object>> copy = new LinkedHashMap<>(encoders);
    copy.put(type, (KeyEncoder<Object>) encoder);
    return new KeyRouting(copy);
  }

  /**
   * Returns the stable 64-bit hash of a key.
   *
   * @param key the key
   * @return its hash, the same on every run and in every JVM
   * @throws SluiceException if the key is null or of a type without a stable hash
   */
  public long hash(Object key) {
    return hash.hashKey(key);
  }

  /**
   * Returns the worker that owns {@code key} among {@code workers}: {@code hash(key) mod workers},
   * unsigned.
   *
   * @param key the key
   * @param workers the number of workers, at least 1
   * @return a worker index in {@code [0, workers)}
   * @throws SluiceException if the key is null or of a type without a stable hash
   * @throws IllegalArgumentException if {@code workers} is below 1
   */
  public int workerFor(Object key, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1: " + workers);
    }
    return hash.worker(key, workers);
  }

  KeyHash keyHash() {
    return hash;
  }

  /** Lists the key types with an encoder. */
  @Override
  public String toString() {
    return "KeyRouting[standard" + (encoders.isEmpty() ? "" : " + " + encoders.keySet()) + "]";
  }
}
