package dev.sluice.internal.consumer;

import dev.sluice.CodecException;
import dev.sluice.Record;
import dev.sluice.spi.Codec;
import dev.sluice.spi.StoreBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The records from a group's cursor on, read and decoded once for the window emitter and the worker
 * that claims them. Records never change once written, so what is cached stays true.
 */
final class PeekBuffer<T> {
  private static final int READ_CHUNK = 10_000;
  private final StoreBackend backend;
  private final String stream;
  private final int partition;
  private final Codec<T> codec;
  private final ArrayList<Loaded<T>> items = new ArrayList<>();
  private long base;

  PeekBuffer(StoreBackend backend, String stream, int partition, Codec<T> codec) {
    this.backend = backend;
    this.stream = stream;
    this.partition = partition;
    this.codec = codec;
  }

  /** Up to {@code max} records from {@code cursor}, of those before {@code next}. */
  synchronized List<Record<T>> peek(long cursor, long next, int max) {
    if (cursor < base || cursor > base + items.size()) {
      items.clear();
      base = cursor;
    } else if (cursor > base) {
      items.subList(0, (int) (cursor - base)).clear();
      base = cursor;
    }
    long want = Math.min(max, next - cursor);
    while (items.size() < want) {
      long from = base + items.size();
      int n = (int) Math.min(READ_CHUNK, want - items.size());
      List<Record<byte[]>> raw = backend.read(stream, partition, from, n);
      if (raw.isEmpty()) {
        break;
      }
      if (raw.get(0).offset() != from) {
        // Retention deleted records under the cursor: restart at what is there.
        items.clear();
        base = raw.get(0).offset();
      }
      for (Record<byte[]> r : raw) {
        items.add(decode(r));
      }
    }
    List<Record<T>> out = new ArrayList<>((int) Math.min(want, items.size()));
    for (int i = 0; i < items.size() && i < want; i++) {
      out.add(items.get(i).decoded());
    }
    return out;
  }

  /** The records {@code first..last}, from the cache when it has them. */
  synchronized List<Loaded<T>> range(long first, long last) {
    if (last < first) {
      return List.of();
    }
    if (first >= base && last < base + items.size()) {
      return new ArrayList<>(items.subList((int) (first - base), (int) (last - base + 1)));
    }
    return load(first, last);
  }

  private List<Loaded<T>> load(long first, long last) {
    List<Loaded<T>> out = new ArrayList<>();
    long from = first;
    while (from <= last) {
      int n = (int) Math.min(READ_CHUNK, last - from + 1);
      List<Record<byte[]>> raw = backend.read(stream, partition, from, n);
      for (Record<byte[]> r : raw) {
        if (r.offset() > last) {
          break;
        }
        out.add(decode(r));
      }
      if (raw.isEmpty()) {
        break; // deleted by retention
      }
      from = raw.get(raw.size() - 1).offset() + 1;
    }
    return out;
  }

  private Loaded<T> decode(Record<byte[]> r) {
    try {
      T value = codec.decode(r.value());
      return new Loaded<>(
          r,
          new Record<>(r.stream(), r.partition(), r.offset(), r.timestamp(), r.key(), value),
          null);
    } catch (Exception e) {
      CodecException failure =
          new CodecException(
              "cannot decode the record at offset "
                  + r.offset()
                  + " of stream \""
                  + stream
                  + "\" with "
                  + codec.describe()
                  + ": "
                  + e.getMessage(),
              e);
      return new Loaded<>(
          r,
          new Record<>(r.stream(), r.partition(), r.offset(), r.timestamp(), r.key(), null),
          failure);
    }
  }
}
