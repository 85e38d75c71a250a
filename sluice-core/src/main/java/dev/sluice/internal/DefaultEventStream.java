package dev.sluice.internal;

import dev.sluice.CodecException;
import dev.sluice.EventStream;
import dev.sluice.GroupMetadata;
import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.StoreOptions;
import dev.sluice.StreamMetadata;
import dev.sluice.Streaming;
import dev.sluice.internal.consumer.ConsumerEngine;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Entry;
import dev.sluice.spi.Source;
import dev.sluice.spi.StoreBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A typed view of one stream: encodes, decodes and waits; the backend does the rest. */
final class DefaultEventStream<T> implements EventStream<T> {
  private static final int PARALLEL_ENCODE_FROM = 256;
  private final StoreHandle store;
  private final String name;
  private final Codec<T> codec;

  DefaultEventStream(StoreHandle store, String name, Codec<T> codec) {
    this.store = store;
    this.name = name;
    this.codec = codec;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long append(T value) {
    return append(null, value);
  }

  @Override
  public long append(String key, T value) {
    Entry entry = encode(key, value);
    return store.backend().appendAndWait(name, List.of(entry));
  }

  @Override
  public long appendAll(List<? extends T> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      store.backend();
      return -1;
    }
    return store.backend().appendAndWait(name, encodeAll(values));
  }

  @Override
  public CompletableFuture<Long> appendAsync(T value) {
    return appendAsync(null, value);
  }

  @Override
  public CompletableFuture<Long> appendAsync(String key, T value) {
    Entry entry = encode(key, value);
    var backend = store.backend();
    Semaphore pending = store.shared().pendingAppends();
    if (!pending.tryAcquire()) {
      waitForRoom(pending);
    }
    CompletableFuture<Long> offset;
    try {
      offset = backend.append(name, List.of(entry));
    } catch (RuntimeException e) {
      pending.release();
      throw e;
    }
    offset.whenComplete((o, e) -> pending.release());
    return offset;
  }

  private void waitForRoom(Semaphore pending) {
    StoreOptions options = store.shared().options();
    try {
      if (!pending.tryAcquire(options.appendTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        throw new StoreException(
            "appendAsync to stream \""
                + name
                + "\" waited "
                + options.appendTimeout()
                + " for room: "
                + options.maxPendingAppends()
                + " appends are still pending (StoreOptions.maxPendingAppends); the store is not"
                + " keeping up");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for room to append to " + name, e);
    }
  }

  Codec<T> codec() {
    return codec;
  }

  String storeUrl() {
    return store.url();
  }

  @Override
  public Streaming<T> streaming() {
    return new DefaultStreaming<>(store, this);
  }

  @Override
  public List<Record<T>> buffer() {
    return buffer("default");
  }

  @Override
  public List<Record<T>> buffer(String group) {
    Objects.requireNonNull(group, "group");
    long from =
        groups().stream()
            .filter(g -> g.name().equals(group))
            .mapToLong(GroupMetadata::committed)
            .findFirst()
            .orElse(0L);
    List<Record<T>> out = new ArrayList<>();
    while (true) {
      List<Record<T>> page = read(from, 10_000);
      if (page.isEmpty()) {
        return out;
      }
      out.addAll(page);
      from = page.get(page.size() - 1).offset() + 1;
    }
  }

  @Override
  public List<GroupMetadata> groups() {
    StoreBackend backend = store.backend();
    ConsumerEngine engine = store.shared().engine();
    if (engine != null) {
      return engine.groups(name);
    }
    return backend.consumerRuntime().map(r -> r.groups(name)).orElse(List.of());
  }

  @Override
  public Attachment attach(Source<? extends T> source) {
    Objects.requireNonNull(source, "source");
    store.backend();
    return new SourceAttachment<>(this, source, store.deadLetters(name));
  }

  @Override
  public List<Record<T>> read(long fromOffset, int max) {
    return read(0, fromOffset, max);
  }

  @Override
  public int partitions() {
    return store.backend().partitions(name);
  }

  @Override
  public List<Record<T>> read(int partition, long fromOffset, int max) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    if (fromOffset < 0) {
      throw new IllegalArgumentException("fromOffset must not be negative: " + fromOffset);
    }
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    List<Record<byte[]>> raw = store.backend().read(name, partition, fromOffset, max);
    List<Record<T>> out = new ArrayList<>(raw.size());
    for (Record<byte[]> r : raw) {
      out.add(
          new Record<>(r.stream(), r.partition(), r.offset(), r.timestamp(), r.key(), decode(r)));
    }
    return out;
  }

  @Override
  public StreamMetadata metadata() {
    var backend = store.backend();
    return backend.metadata(name).orElseGet(() -> backend.create(name));
  }

  @Override
  public void clear() {
    store.backend().clear(name);
  }

  @Override
  public void retention(Retention retention) {
    Objects.requireNonNull(retention, "retention");
    store.backend().retention(name, retention);
    if (retention.kind() != Retention.Kind.FOREVER) {
      store.shared().startMaintenance();
    }
  }

  /**
   * Encodes a batch; a large one in two halves, the second on the common pool, so encoding takes
   * about half as long when a core is free.
   */
  private List<Entry> encodeAll(List<? extends T> values) {
    int n = values.size();
    Entry[] entries = new Entry[n];
    if (n < PARALLEL_ENCODE_FROM) {
      encodeRange(values, entries, 0, n);
    } else {
      int mid = n / 2;
      ForkJoinTask<?> second =
          ForkJoinPool.commonPool().submit(() -> encodeRange(values, entries, mid, n));
      try {
        encodeRange(values, entries, 0, mid);
      } finally {
        second.join(); // runs it here if no pool thread took it
      }
    }
    return Arrays.asList(entries);
  }

  private void encodeRange(List<? extends T> values, Entry[] into, int from, int to) {
    if (codec instanceof BatchEncoder<?>) {
      @SuppressWarnings("unchecked") // a codec of T encodes batches of T
      BatchEncoder<T> batch = (BatchEncoder<T>) codec;
      byte[][] bytes = new byte[to][];
      try {
        batch.encodeAll(values, from, to, bytes);
        for (int i = from; i < to; i++) {
          into[i] = new Entry(null, bytes[i]);
        }
        return;
      } catch (Exception e) {
        // again one by one below, so the failure reads as it does for a single value
      }
    }
    for (int i = from; i < to; i++) {
      into[i] = encode(null, values.get(i));
    }
  }

  private Entry encode(String key, T value) {
    Objects.requireNonNull(value, "value");
    try {
      return new Entry(key, codec.encode(value));
    } catch (Exception e) {
      throw new CodecException(
          "cannot encode a "
              + value.getClass().getName()
              + " for stream \""
              + name
              + "\" with "
              + codec.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private T decode(Record<byte[]> r) {
    try {
      return codec.decode(r.value());
    } catch (Exception e) {
      throw new CodecException(
          "cannot decode the record at offset "
              + r.offset()
              + " of stream \""
              + name
              + "\" with "
              + codec.describe()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "EventStream[" + name + " in " + store.url() + "]";
  }
}
