package dev.sluice.dataflow;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable string of bytes, usable as a key of keyed steps (bytewax routes {@code bytes} keys):
 * equal bytes are equal keys and go to the same worker on every run and in every JVM.
 *
 * <p>A {@code byte[]} cannot be a key — arrays compare by identity and can change after routing —
 * so wrap it: {@code KV.of(Bytes.of(raw), value)}. The bytes are copied in and out.
 */
public final class Bytes {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Returns the bytes, copied.
   *
   * @param bytes the bytes; not null
   * @return an immutable byte string
   */
  public static Bytes of(byte... bytes) {
    return new Bytes(Objects.requireNonNull(bytes, "bytes must not be null").clone());
  }

  /** Returns a copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** Returns the number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** Returns the byte at {@code index}. */
  public byte get(int index) {
    return bytes[index];
  }

  long hash(long seed) {
    long h = seed;
    for (byte b : bytes) {
      h = KeyHash.mix(h * 31 + b);
    }
    return KeyHash.mix(h + bytes.length);
  }

  /** Equal when the bytes are. */
  @Override
  public boolean equals(Object other) {
    return other instanceof Bytes && Arrays.equals(bytes, ((Bytes) other).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The bytes in hexadecimal: {@code Bytes[0aff]}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(bytes.length * 2 + 7).append("Bytes[");
    for (byte b : bytes) {
      text.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }
    return text.append(']').toString();
  }
}
