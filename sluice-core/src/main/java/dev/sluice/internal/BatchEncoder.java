package dev.sluice.internal;

import java.util.List;

/**
 * A codec that encodes many values at once more cheaply than one by one (the JSON codecs reuse one
 * generator and serializer for a whole batch). Each value's bytes must equal what the codec's
 * {@code encode} gives; on a failure the caller encodes the values one by one again, so errors read
 * as they do for a single value.
 */
public interface BatchEncoder<T> {
  /** Encodes {@code values[from, to)} into {@code into[from, to)}; no value may be null. */
  void encodeAll(List<? extends T> values, int from, int to, byte[][] into) throws Exception;
}
