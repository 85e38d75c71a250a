package dev.sluice.pipeline;

/**
 * A step that keeps or drops each item; dropped items are counted as filtered.
 *
 * <p>Thread-safety and blocking as for {@link Step}. {@link Step#stop()} and {@link
 * Step#stopWith(Object)} may be called from it.
 *
 * @param <T> the type of item it takes and passes on
 */
@FunctionalInterface
public interface FilterStep<T> {
  /**
   * Decides whether an item goes on.
   *
   * @param item the item
   * @return {@code true} to keep the item
   * @throws Exception to fail the run
   */
  boolean test(T item) throws Exception;
}
