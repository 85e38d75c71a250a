package dev.sluice.spi;

import java.util.List;

/**
 * Where results go: a file, another stream, a table, a broker.
 *
 * <p>A consumer calls {@link #write} with the results of one window and commits the window only
 * after it returns, so a sink sees each result at least once. A sink is called by one thread at a
 * time unless its documentation says otherwise.
 *
 * @param <T> the type of result it takes
 */
public interface Sink<T> extends AutoCloseable {
  /** Writes one value; returns once it is as durable as this sink promises. */
  void write(T value) throws Exception;

  /** Writes values in order; the default writes them one by one. */
  default void writeAll(List<? extends T> values) throws Exception {
    for (T value : values) {
      write(value);
    }
  }

  /** Releases what the sink holds. The default does nothing. */
  @Override
  default void close() throws Exception {}
}
