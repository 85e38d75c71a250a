package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The routing hash of keyed steps: the same key goes to the same worker on every run and in every
 * JVM.
 *
 * <p>It never uses identity hash codes: Strings hash by {@link String#hashCode()}, whose formula
 * the Java specification fixes; integral numbers by value (so {@code 1} and {@code 1L} agree);
 * enums by constant name; UUIDs by their bits; records and {@code List.of} lists by their elements
 * in order; {@link Bytes} by their bytes; {@code Set.of} sets by their elements in any order. Each
 * is then spread by a 64-bit finalizer. A user's own key types are encoded, by a {@link KeyEncoder}
 * registered on a {@link KeyRouting}, into one of those. Other types are rejected, because their
 * hash is unstable (identity-based) or because the key could change after routing (arrays, mutable
 * collections), or equality is unreliable (floating point). Immutable and thread-safe.
 */
final class KeyHash {
  private static final KeyHash STANDARD = new KeyHash(Map.of());
  private static final long NULL_HASH = 0x2545F4914F6CDD1DL;
  private static final long LIST_SEED = 0x9E3779B97F4A7C15L;
  private static final long RECORD_SEED = 0xC2B2AE3D27D4EB4FL;
  private static final long SET_SEED = 0x165667B19E3779F9L;
  private static final long BYTES_SEED = 0x27D4EB2F165667C5L;
  private static final String IMMUTABLE_LIST_PREFIX = "java.util.ImmutableCollections$List";
  private static final String IMMUTABLE_SET_PREFIX = "java.util.ImmutableCollections$Set";

  /** Encoders by key type, in registration order; looked up by exact class, then by instanceof. */
  private final Map<Class<?>, KeyEncoder<Object>> encoders;

  private final ClassValue<KeyEncoder<Object>> encoderOf =
      new ClassValue<>() {
        @Override
        protected KeyEncoder<Object> computeValue(Class<?> type) {
          KeyEncoder<Object> exact = encoders.get(type);
          if (exact != null) {
            return exact;
          }
          for (Map.Entry<Class<?>, KeyEncoder<Object>> entry : encoders.entrySet()) {
            if (entry.getKey().isAssignableFrom(type)) {
              return entry.getValue();
            }
          }
          return null;
        }
      };

  private static final ClassValue<Method[]> ACCESSORS =
      new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          Method[] accessors = new Method[components.length];
          for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            accessors[i].setAccessible(true);
          }
          return accessors;
        }
      };

  /**
   * @param encoders a copy in registration order (a {@code LinkedHashMap})
   */
  KeyHash(Map<Class<?>, KeyEncoder<Object>> encoders) {
    this.encoders = encoders;
  }

  static KeyHash standard() {
    return STANDARD;
  }

  /** Returns the worker, in {@code [0, workers)}, that owns {@code key} under the standard hash. */
  static int workerFor(Object key, int workers) {
    return STANDARD.worker(key, workers);
  }

  /** The standard hash of a key, without registered encoders. */
  static long hash(Object key) {
    return STANDARD.hashKey(key);
  }

  /** Returns the worker, in {@code [0, workers)}, that owns {@code key}. */
  int worker(Object key, int workers) {
    return (int) Long.remainderUnsigned(hashKey(key), workers);
  }

  /**
   * Returns the stable hash of a key.
   *
   * @throws SluiceException if the key is null or of a type without a stable hash
   */
  long hashKey(Object key) {
    if (key == null) {
      throw new SluiceException("a key must not be null");
    }
    return hashOf(key, key);
  }

  /** Whether values of this type hash by a rule of their own, which an encoder may not replace. */
  static boolean hasOwnRule(Class<?> type) {
    return type == String.class
        || type == Integer.class
        || type == Long.class
        || type == Short.class
        || type == Byte.class
        || type == Boolean.class
        || type == BigInteger.class
        || type == UUID.class
        || type == Bytes.class;
  }

  private long hashOf(Object value, Object key) {
    if (value == null) {
      return NULL_HASH;
    }
    if (value instanceof String) {
      return mix(value.hashCode());
    }
    if (value instanceof Integer || value instanceof Long) {
      return mix(((Number) value).longValue());
    }
    if (!encoders.isEmpty()) {
      KeyEncoder<Object> encoder = encoderOf.get(value.getClass());
      if (encoder != null) {
        return hashEncoded(encoder, value, key);
      }
    }
    if (value instanceof Short || value instanceof Byte) {
      return mix(((Number) value).longValue());
    }
    if (value instanceof Boolean) {
      return mix((Boolean) value ? 1231 : 1237);
    }
    if (value instanceof Enum<?>) {
      return mix(((Enum<?>) value).name().hashCode());
    }
    if (value instanceof UUID) {
      UUID uuid = (UUID) value;
      return mix(uuid.getMostSignificantBits() ^ mix(uuid.getLeastSignificantBits()));
    }
    if (value instanceof BigInteger) {
      return hashBig((BigInteger) value);
    }
    if (value instanceof Bytes) {
      return ((Bytes) value).hash(BYTES_SEED);
    }
    if (value instanceof Record) {
      return hashRecord((Record) value, key);
    }
    if (value instanceof Set<?> && value.getClass().getName().startsWith(IMMUTABLE_SET_PREFIX)) {
      // order-independent: Set.of's iteration order differs from JVM to JVM
      long sum = 0;
      for (Object element : (Set<?>) value) {
        sum += mix(hashOf(element, key) + SET_SEED);
      }
      return mix(SET_SEED ^ sum);
    }
    if (value instanceof List<?> && value.getClass().getName().startsWith(IMMUTABLE_LIST_PREFIX)) {
      long h = LIST_SEED;
      for (Object element : (List<?>) value) {
        h = mix(h * 31 + hashOf(element, key));
      }
      return h;
    }
    throw unsupported(value, key);
  }

  private long hashEncoded(KeyEncoder<Object> encoder, Object value, Object key) {
    Object encoded;
    try {
      encoded = encoder.encode(value);
    } catch (RuntimeException e) {
      throw new SluiceException(
          "the key encoding of " + value.getClass().getName() + " failed on key " + describe(key),
          e);
    }
    if (encoded != null && encoderOf.get(encoded.getClass()) == encoder) {
      throw new SluiceException(
          "a key encoding must give a value of another type than the key it encodes: "
              + value.getClass().getName()
              + " gave "
              + encoded.getClass().getName());
    }
    return hashOf(encoded, key);
  }

  private static long hashBig(BigInteger value) {
    if (value.bitLength() < 64) {
      return mix(value.longValue());
    }
    long h = LIST_SEED;
    for (byte b : value.toByteArray()) {
      h = mix(h * 31 + b);
    }
    return h;
  }

  private long hashRecord(Record value, Object key) {
    long h = RECORD_SEED;
    for (Method accessor : ACCESSORS.get(value.getClass())) {
      Object component;
      try {
        component = accessor.invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new SluiceException(
            "cannot read record component " + accessor.getName() + " of key " + describe(key), e);
      }
      h = mix(h * 31 + hashOf(component, key));
    }
    return h;
  }

  private static SluiceException unsupported(Object value, Object key) {
    String where = value == key ? "" : " inside key " + describe(key);
    return new SluiceException(
        "a key must be a String, Byte, Short, Integer, Long, BigInteger, Boolean, UUID, enum,"
            + " Bytes, or a record, List.of or Set.of of those, or a type with an encoding"
            + " registered on KeyRouting, for a routing hash that is stable across runs;"
            + " got "
            + value.getClass().getName()
            + where);
  }

  private static String describe(Object key) {
    String text = String.valueOf(key);
    if (text.length() > 80) {
      text = text.substring(0, 77) + "...";
    }
    return key.getClass().getName() + " " + text;
  }

  /** The 64-bit finalizer of MurmurHash3: spreads every input bit over the output. */
  static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
