package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

/**
 * The routing hash of keyed steps: the same key goes to the same worker on every run and in every
 * JVM.
 *
 * <p>It never uses identity hash codes: Strings hash by {@link String#hashCode()}, whose formula
 * the Java specification fixes; integral numbers by value (so {@code 1} and {@code 1L} agree);
 * enums by constant name; UUIDs by their bits; records and {@code List.of} lists by their elements
 * in order. Each is then spread by a 64-bit finalizer. Other types are rejected, because their hash
 * is unstable (identity-based) or because the key could change after routing (arrays, mutable
 * collections), or equality is unreliable (floating point). Stateless and thread-safe.
 */
final class KeyHash {
  private static final long NULL_HASH = 0x2545F4914F6CDD1DL;
  private static final long LIST_SEED = 0x9E3779B97F4A7C15L;
  private static final long RECORD_SEED = 0xC2B2AE3D27D4EB4FL;
  private static final String IMMUTABLE_LIST_PREFIX = "java.util.ImmutableCollections$List";

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

  private KeyHash() {}

  /** Returns the worker, in {@code [0, workers)}, that owns {@code key}. */
  static int workerFor(Object key, int workers) {
    return (int) Long.remainderUnsigned(hash(key), workers);
  }

  /**
   * Returns the stable hash of a key.
   *
   * @throws SluiceException if the key is null or of a type without a stable hash
   */
  static long hash(Object key) {
    if (key == null) {
      throw new SluiceException("a key must not be null");
    }
    return hashOf(key, key);
  }

  private static long hashOf(Object value, Object key) {
    if (value == null) {
      return NULL_HASH;
    }
    if (value instanceof String) {
      return mix(value.hashCode());
    }
    if (value instanceof Integer || value instanceof Long) {
      return mix(((Number) value).longValue());
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
    if (value instanceof Record) {
      return hashRecord((Record) value, key);
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

  private static long hashRecord(Record value, Object key) {
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
        "a key must be a String, Byte, Short, Integer, Long, BigInteger, Boolean, UUID, enum, or a"
            + " record or List.of of those, for a routing hash that is stable across runs;"
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
