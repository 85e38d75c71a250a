package dev.sluice.spi;

/**
 * Turns values into the bytes a store keeps, and back.
 *
 * <p>Implementations must be thread-safe: one codec serves every thread that appends to or reads a
 * stream. {@code decode(encode(v))} must equal {@code v}. Failures are reported by throwing any
 * exception; Sluice wraps it in a {@link dev.sluice.CodecException} naming the stream (and, on
 * decode, the offset).
 *
 * @param <T> the value type
 */
public interface Codec<T> {
  /** Encodes a non-null value. */
  byte[] encode(T value) throws Exception;

  /** Decodes bytes produced by {@link #encode}. */
  T decode(byte[] bytes) throws Exception;

  /** A short description for messages, such as {@code json(Order)}. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
