package dev.sluice;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A named, append-only, persistent log of records.
 *
 * <p>Get one from {@link Sluice#stream(String)} or {@link Store#stream(String)}; the stream is
 * created when first asked for. Every method is thread-safe. Offsets are dense and increase by one
 * per record; timestamps are assigned by the store when it commits and never decrease along
 * offsets. Records appended by one thread keep that thread's order.
 *
 * <p>If the stream is dropped while a handle is held, the next append creates it again (with a new
 * incarnation).
 *
 * @param <T> the value type
 */
public interface EventStream<T> {
  /** The stream's name. */
  String name();

  /**
   * Appends a value and returns its offset once it is durable under the store's sync mode.
   *
   * @throws CodecException if the value cannot be encoded; nothing is written
   * @throws StoreException if the store is closed or the write failed
   */
  long append(T value);

  /**
   * Appends a value with a key (may be {@code null}) and returns its offset once durable.
   *
   * @throws CodecException if the value cannot be encoded; nothing is written
   * @throws StoreException if the store is closed or the write failed
   */
  long append(String key, T value);

  /**
   * Appends all values atomically — all are written or none — at consecutive offsets, and returns
   * the offset of the first; returns -1 for an empty list.
   *
   * @throws CodecException if any value cannot be encoded; nothing is written
   * @throws StoreException if the store is closed or the write failed; nothing is written
   */
  long appendAll(List<? extends T> values);

  /**
   * Appends a value without waiting; the future completes with its offset once durable, or
   * exceptionally. Blocks while the store already has {@link StoreOptions#maxPendingAppends()}
   * unfinished asynchronous appends, and fails after {@link StoreOptions#appendTimeout()}.
   *
   * @throws CodecException if the value cannot be encoded; nothing is written
   * @throws StoreException if the store is closed, or no room was made within the timeout
   */
  CompletableFuture<Long> appendAsync(T value);

  /** As {@link #appendAsync(Object)}, with a key (may be {@code null}). */
  CompletableFuture<Long> appendAsync(String key, T value);

  /**
   * Reads up to {@code max} records from {@code fromOffset} on, in offset order. Reads below the
   * first offset held start at the first offset held; reads past the end return an empty list.
   *
   * @throws IllegalArgumentException if {@code fromOffset} is negative or {@code max} is less than
   *     1
   * @throws CodecException if a record cannot be decoded, naming its offset
   */
  List<Record<T>> read(long fromOffset, int max);

  /**
   * Reads up to {@code max} records of one partition from {@code fromOffset} on, in offset order,
   * as {@link #read(long, int)} reads partition 0.
   *
   * @throws IllegalArgumentException if the partition does not exist, {@code fromOffset} is
   *     negative or {@code max} is less than 1
   * @throws CodecException if a record cannot be decoded, naming its offset
   */
  List<Record<T>> read(int partition, long fromOffset, int max);

  /** How many partitions the stream has: 1 on the embedded and in-memory stores. */
  int partitions();

  /** What the store knows about this stream now (creating it if it was dropped). */
  StreamMetadata metadata();

  /**
   * Deletes every record and starts the stream afresh at offset 0 with a new incarnation, keeping
   * its retention. Consumers of the old incarnation fail loudly instead of silently rewinding.
   */
  void clear();

  /** Sets how long the stream keeps its records; stored with the stream. */
  void retention(Retention retention);

  /** A consumer of this stream, with this stream's codec. */
  Streaming<T> streaming();

  /**
   * The records the default group ({@code "default"}) has not committed, in offset order:
   * minibatch's {@code buffer()}. All records held if the group does not exist. Meant for small
   * streams and tests; use {@link #read} to page through a large one.
   */
  List<Record<T>> buffer();

  /**
   * The records {@code group} has not committed, in offset order; all records held if the group
   * does not exist. {@link #buffer()} is {@code buffer("default")}.
   */
  List<Record<T>> buffer(String group);

  /** The consumer groups of this stream, by name. */
  List<GroupMetadata> groups();

  /**
   * Appends what a source emits, on a thread of its own, until the source is exhausted or the
   * returned handle is closed. Each value is appended once {@code emit} returns, so a source is
   * held back by the store, never buffered without bound. A failure of the source is logged and
   * ends the attachment; see {@link Attachment#failure()}.
   */
  Attachment attach(dev.sluice.spi.Source<? extends T> source);

  /** A source feeding a stream; closing it stops the source and waits for its thread. */
  interface Attachment extends AutoCloseable {
    /** Whether the source is still running. */
    boolean isRunning();

    /** How many values were appended so far. */
    long appended();

    /**
     * How many messages the source could not read and sent to the stream's dead-letter stream
     * ({@link dev.sluice.spi.Source.Emitter#deadLetter}).
     */
    default long deadLettered() {
      return 0;
    }

    /** Waits until the source is exhausted or failed; returns whether it ended in time. */
    boolean await(java.time.Duration timeout) throws InterruptedException;

    /** The source's failure, if it failed. */
    java.util.Optional<Throwable> failure();

    /** Stops the source and waits for its thread. */
    @Override
    void close();
  }
}
