package dev.sluice.spi;

import java.util.List;

/**
 * A sink that writes into the store a consumer reads from, inside the transaction that commits the
 * window, so output and commit happen together or not at all: {@link
 * dev.sluice.Delivery#EXACTLY_ONCE}. {@link dev.sluice.Sinks#stream} and {@link
 * dev.sluice.Sinks#table} are the built-in ones.
 *
 * <p>Used as a plain {@link Sink} (at-least-once), it writes in a transaction of its own.
 *
 * @param <T> the type of result it takes
 */
public interface TransactionalSink<T> extends Sink<T> {
  /** The URL of the store it writes to; exactly-once needs the consumer's store. */
  String storeUrl();

  /**
   * Writes a window's results inside the commit's transaction. Throwing rolls the commit back and
   * fails the attempt.
   */
  void write(StoreTransaction transaction, List<? extends T> values) throws Exception;
}
