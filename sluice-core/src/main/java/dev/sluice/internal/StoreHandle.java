package dev.sluice.internal;

import dev.sluice.Codecs;
import dev.sluice.DeadLetters;
import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.StoreException;
import dev.sluice.StreamMetadata;
import dev.sluice.Streaming;
import dev.sluice.internal.base.Names;
import dev.sluice.spi.Capability;
import dev.sluice.spi.Codec;
import dev.sluice.spi.StoreBackend;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** A user's handle on a shared store; closing it releases only this handle. */
final class StoreHandle implements Store {
  private final SharedStore shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  StoreHandle(SharedStore shared) {
    this.shared = shared;
  }

  @Override
  public String url() {
    return shared.url();
  }

  @Override
  public EventStream<Map<String, Object>> stream(String name) {
    return stream(name, Codecs.json());
  }

  @Override
  public <T> EventStream<T> stream(String name, Class<T> type) {
    return stream(name, Codecs.json(type));
  }

  @Override
  public <T> EventStream<T> stream(String name, Codec<T> codec) {
    Names.checkStream(name);
    Objects.requireNonNull(codec, "codec");
    StoreBackend backend = backend();
    if (backend.metadata(name).isEmpty()) {
      backend.create(name);
    }
    return new DefaultEventStream<>(this, name, codec);
  }

  @Override
  public Streaming<Map<String, Object>> streaming(String name) {
    return streaming(name, Codecs.json());
  }

  @Override
  public <T> Streaming<T> streaming(String name, Class<T> type) {
    return streaming(name, Codecs.json(type));
  }

  @Override
  public <T> Streaming<T> streaming(String name, Codec<T> codec) {
    return new DefaultStreaming<>(this, (DefaultEventStream<T>) stream(name, codec));
  }

  @Override
  public EventStream<Map<String, Object>> deadLetters(String name) {
    return deadLetters(name, Codecs.json());
  }

  @Override
  public <T> EventStream<T> deadLetters(String name, Codec<T> codec) {
    Objects.requireNonNull(codec, "codec");
    String dlq = DeadLetters.name(name);
    backend();
    return new DefaultEventStream<>(this, dlq, codec);
  }

  @Override
  public Set<Capability> capabilities() {
    return backend().capabilities();
  }

  @Override
  public List<String> streams() {
    return backend().streams();
  }

  @Override
  public Optional<StreamMetadata> metadata(String name) {
    Names.checkInternalStream(name);
    return backend().metadata(name);
  }

  @Override
  public boolean drop(String name) {
    Names.checkInternalStream(name);
    return backend().drop(name);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Stores.release(shared);
    }
  }

  /** The backend, or a {@link StoreException} if this handle is closed. */
  StoreBackend backend() {
    if (closed.get()) {
      throw new StoreException("store " + shared.url() + " is closed");
    }
    return shared.backend();
  }

  SharedStore shared() {
    return shared;
  }

  @Override
  public String toString() {
    return "Store[" + shared.url() + (closed.get() ? ", closed]" : "]");
  }
}
