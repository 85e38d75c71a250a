package dev.sluice;

/**
 * Handles one window; the window is committed once it returns. Throwing fails the attempt: the
 * consumer retries it, then dead-letters what still fails (see {@link Streaming#retry}).
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface WindowHandler<T> {
  /** Handles a window. */
  void handle(Window<T> window) throws Exception;
}
