package dev.sluice;

import dev.sluice.internal.mem.MemStoreProvider;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Entry;
import dev.sluice.spi.StoreBackend;
import dev.sluice.spi.StoreProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code plain:NAME}: a backend that keeps streams and nothing more — no consumer tables, no
 * consumer runtime, no SQL — to test what users get from a backend without a capability.
 */
public final class PlainStoreProvider implements StoreProvider {
  private final MemStoreProvider mem = new MemStoreProvider();

  @Override
  public Set<String> schemes() {
    return Set.of("plain");
  }

  @Override
  public String canonicalUrl(String url) {
    return url;
  }

  @Override
  public StoreBackend open(String canonicalUrl, StoreOptions options) {
    return new Plain(canonicalUrl, mem.open("mem:" + canonicalUrl.substring(6), options));
  }

  /** Streams of another backend, with none of its capabilities. */
  private record Plain(String url, StoreBackend inner) implements StoreBackend {
    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public CompletableFuture<Long> append(String stream, List<Entry> entries) {
      return inner.append(stream, entries);
    }

    @Override
    public StreamMetadata create(String stream) {
      return inner.create(stream);
    }

    @Override
    public List<Record<byte[]>> read(String stream, int partition, long fromOffset, int max) {
      return inner.read(stream, partition, fromOffset, max);
    }

    @Override
    public List<String> streams() {
      return inner.streams();
    }

    @Override
    public Optional<StreamMetadata> metadata(String stream) {
      return inner.metadata(stream);
    }

    @Override
    public boolean drop(String stream) {
      return inner.drop(stream);
    }

    @Override
    public void clear(String stream) {
      inner.clear(stream);
    }

    @Override
    public void retention(String stream, Retention retention) {
      inner.retention(stream, retention);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
