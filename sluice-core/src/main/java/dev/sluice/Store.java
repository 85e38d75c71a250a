package dev.sluice;

import dev.sluice.spi.Capability;
import dev.sluice.spi.Codec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A place where streams live: an embedded SQLite directory, memory, or a server.
 *
 * <p>Open with {@link Sluice#open(String)}. Thread-safe. Opening the same location twice in one JVM
 * shares one underlying store; it is released when the last handle is closed. Every method of a
 * closed handle, and of the streams got from it, throws {@link StoreException}.
 */
public interface Store extends AutoCloseable {
  /** The store's URL, with any path made absolute, such as {@code sqlite:/home/me/data}. */
  String url();

  /**
   * The stream with this name, of JSON objects as maps; created if absent.
   *
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  EventStream<Map<String, Object>> stream(String name);

  /**
   * The stream with this name, of values of a type read and written as JSON; created if absent.
   *
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  <T> EventStream<T> stream(String name, Class<T> type);

  /**
   * The stream with this name, with values read and written by a codec; created if absent.
   *
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  <T> EventStream<T> stream(String name, Codec<T> codec);

  /** A consumer of the stream with this name, of JSON objects as maps. */
  Streaming<Map<String, Object>> streaming(String name);

  /** A consumer of the stream with this name, of values of a type read as JSON. */
  <T> Streaming<T> streaming(String name, Class<T> type);

  /** A consumer of the stream with this name, with values read by a codec. */
  <T> Streaming<T> streaming(String name, Codec<T> codec);

  /**
   * The dead-letter stream {@code <name>.dlq} of a stream: one JSON object per record a consumer
   * gave up on (see {@link Streaming#deadLetter}). Read it, or replay it with {@code sluice dlq
   * replay}; its name is reserved, so {@link #stream} refuses it.
   */
  EventStream<Map<String, Object>> deadLetters(String name);

  /**
   * The dead-letter stream of a stream with values read by a codec, such as {@code Codecs.bytes()}
   * for the raw JSON. Its {@link EventStream#streaming()} consumes the dead letters; see {@link
   * DeadLetters}.
   *
   * @throws IllegalArgumentException if the name breaks the naming rule
   */
  <T> EventStream<T> deadLetters(String name, Codec<T> codec);

  /** The names of all streams, sorted. */
  List<String> streams();

  /**
   * What this store's backend can do beyond the rules every store keeps: consumers, a SQL database
   * for {@link Sinks#table}, partitions. Asking a store for what it cannot do throws {@link
   * UnsupportedCapabilityException}.
   */
  Set<Capability> capabilities();

  /** What the store knows about a stream, or empty if there is no such stream. */
  Optional<StreamMetadata> metadata(String name);

  /**
   * Deletes a stream with its records; returns whether it existed. Space is reclaimed in the
   * background.
   */
  boolean drop(String name);

  /** Releases this handle; the underlying store closes when its last handle does. Idempotent. */
  @Override
  void close();
}
