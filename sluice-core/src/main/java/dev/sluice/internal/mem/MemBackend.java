package dev.sluice.internal.mem;

import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.StreamMetadata;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreBackend;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Streams held in memory, with the same rules as the embedded store: dense offsets, commit-time
 * timestamps that never decrease, atomic batches, incarnations. One lock guards everything.
 */
final class MemBackend implements StoreBackend {
  private final String url;
  private final Clock clock;
  private final TreeMap<String, MemStream> streams = new TreeMap<>();
  private boolean closed;

  MemBackend(String url, Clock clock) {
    this.url = url;
    this.clock = clock;
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public CompletableFuture<Long> append(String stream, List<Entry> entries) {
    synchronized (this) {
      ensureOpen();
      MemStream s = streamFor(stream);
      long now = clock.millis();
      long ts = Math.max(now, s.tsFloor);
      long first = s.nextOffset;
      for (Entry e : entries) {
        s.records.add(
            new Record<>(stream, 0, s.nextOffset++, Instant.ofEpochMilli(ts), e.key(), e.value()));
      }
      s.tsFloor = ts;
      s.lastAppend = ts;
      return CompletableFuture.completedFuture(first);
    }
  }

  @Override
  public synchronized StreamMetadata create(String stream) {
    ensureOpen();
    return streamFor(stream).metadata();
  }

  @Override
  public synchronized List<Record<byte[]>> read(String stream, long fromOffset, int max) {
    ensureOpen();
    MemStream s = streams.get(stream);
    if (s == null) {
      return List.of();
    }
    long from = Math.max(fromOffset, s.firstOffset);
    if (from >= s.nextOffset) {
      return List.of();
    }
    int start = (int) (from - s.firstOffset);
    int end = (int) Math.min(s.records.size(), (long) start + max);
    return new ArrayList<>(s.records.subList(start, end));
  }

  @Override
  public synchronized List<String> streams() {
    ensureOpen();
    return new ArrayList<>(streams.keySet());
  }

  @Override
  public synchronized Optional<StreamMetadata> metadata(String stream) {
    ensureOpen();
    return Optional.ofNullable(streams.get(stream)).map(MemStream::metadata);
  }

  @Override
  public synchronized boolean drop(String stream) {
    ensureOpen();
    return streams.remove(stream) != null;
  }

  @Override
  public synchronized void clear(String stream) {
    ensureOpen();
    MemStream old = streams.remove(stream);
    MemStream fresh = streamFor(stream);
    if (old != null) {
      fresh.retention = old.retention;
    }
  }

  @Override
  public synchronized void retention(String stream, Retention retention) {
    ensureOpen();
    streamFor(stream).retention = retention;
  }

  @Override
  public synchronized void close() {
    closed = true;
    streams.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("store " + url + " is closed");
    }
  }

  private MemStream streamFor(String name) {
    return streams.computeIfAbsent(name, n -> new MemStream(n, clock.millis()));
  }

  private static final class MemStream {
    final String name;
    final String incarnation = UUID.randomUUID().toString();
    final long created;
    final List<Record<byte[]>> records = new ArrayList<>();
    long firstOffset;
    long nextOffset;
    long tsFloor;
    Long lastAppend;
    Retention retention = Retention.forever();

    MemStream(String name, long created) {
      this.name = name;
      this.created = created;
    }

    StreamMetadata metadata() {
      return new StreamMetadata(
          name,
          incarnation,
          Instant.ofEpochMilli(created),
          nextOffset - firstOffset,
          firstOffset,
          nextOffset,
          lastAppend == null ? null : Instant.ofEpochMilli(lastAppend),
          retention);
    }
  }
}
