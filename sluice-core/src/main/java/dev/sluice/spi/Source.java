package dev.sluice.spi;

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
  }
}
