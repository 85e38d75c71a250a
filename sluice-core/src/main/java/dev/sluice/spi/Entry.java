package dev.sluice.spi;

import java.util.Objects;

/**
 * One record to append, already encoded.
 *
 * @param key the key, or {@code null}
 * @param value the encoded value
 */
public record Entry(String key, byte[] value) {
  /** Checks that the value is present. */
  public Entry {
    Objects.requireNonNull(value, "value");
  }
}
