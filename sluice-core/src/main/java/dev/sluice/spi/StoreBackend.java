package dev.sluice.spi;

import dev.sluice.Record;
import dev.sluice.Retention;
import dev.sluice.StoreException;
import dev.sluice.StreamMetadata;
import dev.sluice.spi.consumer.ConsumerRuntime;
import dev.sluice.spi.consumer.ConsumerTables;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The storage engine behind a {@link dev.sluice.Store}: streams of encoded records.
 *
 * <p>Sluice's core validates names, encodes values and hands a backend only valid input. A backend
 * must be thread-safe, assign dense offsets per stream in the order appends were submitted by each
 * thread, stamp records at commit with timestamps that never decrease along offsets, and create a
 * stream on first use. Backends are found with {@link StoreProvider}; the contract test suites in
 * sluice-core's test-jar ({@code StoreContractTest}, {@code ConsumerContractTest}) check every rule
 * through the public API.
 *
 * <p>A stream has one or more partitions, each with its own dense offsets from 0; a backend without
 * {@link Capability#PARTITIONS} has exactly partition 0 per stream. What a backend can do beyond
 * the rules is told by {@link #capabilities()}, never guessed from its URL or class: consumers run
 * on a backend that offers {@link Capability#CONSUMER_ENGINE} (through {@link #consumerTables()})
 * or {@link Capability#CONSUMER_RUNTIME} (through {@link #consumerRuntime()}).
 */
public interface StoreBackend extends AutoCloseable {
  /** The backend's canonical URL, such as {@code sqlite:/abs/path}. */
  String url();

  /** What this backend can do beyond the rules every backend keeps. */
  Set<Capability> capabilities();

  /**
   * The consumer tables the shared consumer engine runs on; present exactly when {@link
   * #capabilities()} has {@link Capability#CONSUMER_ENGINE}.
   */
  default Optional<ConsumerTables> consumerTables() {
    return Optional.empty();
  }

  /**
   * The backend's own consumer runtime; present exactly when {@link #capabilities()} has {@link
   * Capability#CONSUMER_RUNTIME}.
   */
  default Optional<ConsumerRuntime> consumerRuntime() {
    return Optional.empty();
  }

  /** How many partitions a stream has (1 unless the backend has {@link Capability#PARTITIONS}). */
  default int partitions(String stream) {
    return 1;
  }

  /**
   * Appends entries atomically at consecutive offsets, creating the stream if absent. The future
   * completes with the first entry's offset once durable, or exceptionally (nothing written). A
   * backend with {@link Capability#PARTITIONS} chooses the partition (by key, say) and keeps a
   * batch in one partition; the offset is in that partition.
   */
  CompletableFuture<Long> append(String stream, List<Entry> entries);

  /**
   * Appends as {@link #append} does and waits until durable; returns the first entry's offset. A
   * backend may serve this without a thread handoff; the default waits for {@link #append}.
   *
   * @throws dev.sluice.StoreException if the append failed; nothing was written
   */
  default long appendAndWait(String stream, List<Entry> entries) {
    try {
      return append(stream, entries).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof StoreException se) {
        throw new StoreException(se.getMessage(), se);
      }
      throw new StoreException("append to " + stream + " failed: " + e.getCause(), e.getCause());
    }
  }

  /** Creates the stream if absent; returns its metadata. */
  StreamMetadata create(String stream);

  /**
   * Reads up to {@code max} records of one partition from {@code fromOffset} on (from the first
   * offset held if that is higher), in offset order; empty past the end or for an absent stream.
   * Records carry their partition.
   *
   * @throws IllegalArgumentException if the partition does not exist
   */
  List<Record<byte[]>> read(String stream, int partition, long fromOffset, int max);

  /** Reads partition 0, as {@link #read(String, int, long, int)}. */
  default List<Record<byte[]>> read(String stream, long fromOffset, int max) {
    return read(stream, 0, fromOffset, max);
  }

  /** The names of all streams, sorted. */
  List<String> streams();

  /** A stream's metadata, or empty if absent. */
  Optional<StreamMetadata> metadata(String stream);

  /** Deletes a stream and its records; returns whether it existed. */
  boolean drop(String stream);

  /**
   * Replaces a stream by an empty one of the same name and retention, with a new incarnation,
   * starting at offset 0. Creates it if absent.
   */
  void clear(String stream);

  /** Stores a stream's retention, creating the stream if absent. */
  void retention(String stream, Retention retention);

  /** Finishes pending appends, then releases everything. Idempotent. */
  @Override
  void close();
}
