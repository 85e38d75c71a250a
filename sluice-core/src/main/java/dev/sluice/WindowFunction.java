package dev.sluice;

/**
 * Turns a window into a result for a sink. A {@code null} result sends nothing.
 *
 * @param <T> the value type
 * @param <R> the result type
 */
@FunctionalInterface
public interface WindowFunction<T, R> {
  /** The window's result, or {@code null} for none. */
  R apply(Window<T> window) throws Exception;
}
