package dev.sluice.kafka.streams.internal;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.Bytes;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.KV;
import dev.sluice.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The bytes that dataflow items, keys, aggregators and states take on exchange topics and in state
 * stores: a tagged binary form that keeps Java types (so {@code 1L} stays a Long and {@code
 * List.of} stays immutable, as the routing hash needs), with Java serialization as the fallback for
 * other {@link Serializable} values.
 *
 * <p>Deterministic for equal keys of the types the routing hash accepts, so encoded keys can key
 * state stores. Thread-safe.
 */
public final class ItemCodec {
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int INT = 2;
  private static final int LONG = 3;
  private static final int SHORT = 4;
  private static final int BYTE = 5;
  private static final int BOOLEAN = 6;
  private static final int DOUBLE = 7;
  private static final int FLOAT = 8;
  private static final int BIG_INTEGER = 9;
  private static final int BIG_DECIMAL = 10;
  private static final int UUID_TAG = 11;
  private static final int ENUM = 12;
  private static final int KV_TAG = 13;
  private static final int EPOCHED = 14;
  private static final int IMMUTABLE_LIST = 15;
  private static final int LIST = 16;
  private static final int IMMUTABLE_SET = 17;
  private static final int SET = 18;
  private static final int MAP = 19;
  private static final int RECORD = 20;
  private static final int BYTES = 21;
  private static final int CHAR = 22;
  private static final int SERIALIZED = 23;

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

  private static final ClassValue<Constructor<?>> CANONICAL =
      new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
          RecordComponent[] components = type.getRecordComponents();
          Class<?>[] types = new Class<?>[components.length];
          for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
          }
          try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor;
          } catch (NoSuchMethodException e) {
            throw new SluiceException("record " + type.getName() + " has no canonical constructor");
          }
        }
      };

  /** This encoding as a {@link Codec}. */
  public static final Codec<Object> CODEC =
      new Codec<>() {
        @Override
        public byte[] encode(Object value) {
          return ItemCodec.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
          return ItemCodec.decode(bytes);
        }

        @Override
        public String describe() {
          return "sluice-typed";
        }
      };

  private ItemCodec() {}

  /** Encodes a value, which may be null. */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out, value);
    } catch (IOException e) {
      throw new SluiceException("cannot encode " + describe(value) + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** Decodes what {@link #encode} wrote. */
  public static Object decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /** Decodes what {@link #encode} wrote, from a part of an array. */
  public static Object decode(byte[] bytes, int offset, int length) {
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
      return read(in);
    } catch (IOException | ReflectiveOperationException e) {
      throw new SluiceException("cannot decode a dataflow item: " + e, e);
    }
  }

  private static void write(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String s) {
      out.writeByte(STRING);
      writeString(out, s);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Boolean b) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(b);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof KV<?, ?> kv) {
      out.writeByte(KV_TAG);
      write(out, kv.key());
      write(out, kv.value());
    } else if (value instanceof Short s) {
      out.writeByte(SHORT);
      out.writeShort(s);
    } else if (value instanceof Byte b) {
      out.writeByte(BYTE);
      out.writeByte(b);
    } else if (value instanceof Float f) {
      out.writeByte(FLOAT);
      out.writeFloat(f);
    } else if (value instanceof Character c) {
      out.writeByte(CHAR);
      out.writeChar(c);
    } else if (value instanceof BigInteger b) {
      out.writeByte(BIG_INTEGER);
      writeBytes(out, b.toByteArray());
    } else if (value instanceof BigDecimal b) {
      out.writeByte(BIG_DECIMAL);
      writeString(out, b.toString());
    } else if (value instanceof UUID u) {
      out.writeByte(UUID_TAG);
      out.writeLong(u.getMostSignificantBits());
      out.writeLong(u.getLeastSignificantBits());
    } else if (value instanceof Enum<?> e) {
      out.writeByte(ENUM);
      writeString(out, e.getDeclaringClass().getName());
      writeString(out, e.name());
    } else if (value instanceof Epoched<?> p) {
      out.writeByte(EPOCHED);
      out.writeLong(p.epoch());
      write(out, p.item());
    } else if (value instanceof Bytes b) {
      out.writeByte(BYTES);
      writeBytes(out, b.toArray());
    } else if (value instanceof Record r) {
      out.writeByte(RECORD);
      writeString(out, r.getClass().getName());
      for (Method accessor : ACCESSORS.get(r.getClass())) {
        try {
          write(out, accessor.invoke(r));
        } catch (ReflectiveOperationException e) {
          throw new IOException("cannot read " + accessor.getName() + " of " + describe(r), e);
        }
      }
    } else if (value instanceof List<?> list && !(value instanceof Serializable && custom(value))) {
      boolean immutable = value.getClass().getName().startsWith("java.util.ImmutableCollections");
      out.writeByte(immutable ? IMMUTABLE_LIST : LIST);
      writeAll(out, list);
    } else if (value instanceof Set<?> set && !(value instanceof Serializable && custom(value))) {
      boolean immutable = value.getClass().getName().startsWith("java.util.ImmutableCollections");
      out.writeByte(immutable ? IMMUTABLE_SET : SET);
      writeAll(out, set);
    } else if (value instanceof Map<?, ?> map
        && !(value instanceof Serializable && custom(value))) {
      out.writeByte(MAP);
      out.writeInt(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        write(out, entry.getKey());
        write(out, entry.getValue());
      }
    } else if (value instanceof Serializable) {
      out.writeByte(SERIALIZED);
      ByteArrayOutputStream serialized = new ByteArrayOutputStream();
      try (ObjectOutputStream objects = new ObjectOutputStream(serialized)) {
        objects.writeObject(value);
      }
      writeBytes(out, serialized.toByteArray());
    } else {
      throw new IOException(
          "a dataflow item, key, aggregator or state crossing machines must be a String, number,"
              + " Boolean, UUID, enum, KV, record, List, Set, Map or Serializable; got "
              + value.getClass().getName());
    }
  }

  /** Whether a collection is a user's own subclass, which Java serialization keeps exactly. */
  private static boolean custom(Object value) {
    return !value.getClass().getName().startsWith("java.util.");
  }

  private static void writeAll(DataOutputStream out, Collection<?> items) throws IOException {
    out.writeInt(items.size());
    for (Object item : items) {
      write(out, item);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object read(DataInputStream in) throws IOException, ReflectiveOperationException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return readString(in);
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case SHORT:
        return in.readShort();
      case BYTE:
        return in.readByte();
      case BOOLEAN:
        return in.readBoolean();
      case DOUBLE:
        return in.readDouble();
      case FLOAT:
        return in.readFloat();
      case CHAR:
        return in.readChar();
      case BIG_INTEGER:
        return new BigInteger(readBytes(in));
      case BIG_DECIMAL:
        return new BigDecimal(readString(in));
      case UUID_TAG:
        return new UUID(in.readLong(), in.readLong());
      case ENUM:
        return Enum.valueOf((Class) load(readString(in)), readString(in));
      case KV_TAG:
        return new KV<>(read(in), read(in));
      case EPOCHED:
        return new Epoched<>(in.readLong(), read(in));
      case BYTES:
        return Bytes.of(readBytes(in));
      case RECORD:
        {
          Class<?> type = load(readString(in));
          Constructor<?> constructor = CANONICAL.get(type);
          Object[] components = new Object[constructor.getParameterCount()];
          for (int i = 0; i < components.length; i++) {
            components[i] = read(in);
          }
          return constructor.newInstance(components);
        }
      case IMMUTABLE_LIST:
        return List.of(readArray(in));
      case LIST:
        {
          Object[] items = readArray(in);
          List<Object> list = new ArrayList<>(items.length);
          Collections.addAll(list, items);
          return list;
        }
      case IMMUTABLE_SET:
        return Set.of(readArray(in));
      case SET:
        {
          Object[] items = readArray(in);
          Set<Object> set = new LinkedHashSet<>();
          Collections.addAll(set, items);
          return set;
        }
      case MAP:
        {
          int size = in.readInt();
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < size; i++) {
            map.put(read(in), read(in));
          }
          return map;
        }
      case SERIALIZED:
        try (ObjectInputStream objects =
            new ObjectInputStream(new ByteArrayInputStream(readBytes(in)))) {
          return objects.readObject();
        }
      default:
        throw new IOException("unknown type tag " + tag);
    }
  }

  private static Object[] readArray(DataInputStream in)
      throws IOException, ReflectiveOperationException {
    Object[] items = new Object[in.readInt()];
    for (int i = 0; i < items.length; i++) {
      items[i] = read(in);
    }
    return items;
  }

  private static Class<?> load(String name) throws ClassNotFoundException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      return Class.forName(name, false, loader == null ? ItemCodec.class.getClassLoader() : loader);
    } catch (ClassNotFoundException e) {
      return Class.forName(name, false, ItemCodec.class.getClassLoader());
    }
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
