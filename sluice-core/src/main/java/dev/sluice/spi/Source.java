package dev.sluice.spi;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where records come from: a file, a broker, a device.
 *
 * <p>{@link #run} pushes values into an {@link Emitter} until the source is exhausted, then
 * returns. {@code emit} blocks while the receiver is full, so a source never outruns the bounded
 * buffers behind it. {@link #close} (or interrupting the running thread) asks a running source to
 * stop; {@code run} should then return promptly.
 *
 * @param <T> the type of value it produces
 */
public interface Source<T> extends AutoCloseable {
  /** Emits values until the source is exhausted or closed; throws to report a failure. */
  void run(Emitter<? super T> emitter) throws Exception;

  /** Asks a running source to stop and releases what it holds. The default does nothing. */
  @Override
  default void close() throws Exception {}

  /**
   * Receives the values of a source.
   *
   * @param <T> the type of value it takes
   */
  @FunctionalInterface
  interface Emitter<T> {
    /** Hands over one value, blocking while the receiver is full. */
    void emit(T value) throws InterruptedException;

    /**
     * Hands over one value and returns at once with a future that completes with its offset once
     * the value is durable in the stream, or exceptionally if it could not be stored. A source that
     * acknowledges what it read to an upstream system (an MQTT broker, a queue) acknowledges when
     * this future completes, never before. Futures of one emitter complete in emit order. Blocks
     * while too many values are pending.
     *
     * <p>The default cannot tell when a value is durable and throws; {@link
     * dev.sluice.EventStream#attach} provides an emitter that can.
     *
     * @throws UnsupportedOperationException if this emitter cannot report durability
     */
    default CompletableFuture<Long> emitAsync(T value) throws InterruptedException {
      throw new UnsupportedOperationException(
          "this emitter cannot report when a value is durable; attach the source to a stream");
    }

    /**
     * Sends a message the source read but could not turn into a value (a malformed payload) to the
     * stream's dead-letter stream {@code <stream>.dlq}, with where it came from, and returns once
     * that dead letter is durable. The source then goes on with its next message: nothing it read
     * is dropped silently and nothing malformed stops it.
     *
     * @param position where the message came from (topic and message id, collection and document
     *     id, file and line), written as a JSON object into the dead letter
     * @param payload the message's bytes as read
     * @param error why it could not be read
     * @throws UnsupportedOperationException if this emitter has no dead-letter stream
     */
    default void deadLetter(Map<String, Object> position, byte[] payload, Throwable error)
        throws InterruptedException {
      throw new UnsupportedOperationException(
          "this emitter has no dead-letter stream; attach the source to a stream", error);
    }
  }
}
