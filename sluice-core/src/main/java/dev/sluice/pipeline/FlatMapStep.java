package dev.sluice.pipeline;

/**
 * A step that turns each item into zero or more outputs, kept together in the item's place.
 *
 * <p>Thread-safety and blocking as for {@link Step}. {@link Step#stop()} and {@link
 * Step#stopWith(Object)} may be called from it. Returning an empty collection drops the item
 * without counting it as filtered; returning {@code null} fails the run.
 *
 * @param <I> the type of item it takes
 * @param <O> the type of output it gives
 */
@FunctionalInterface
public interface FlatMapStep<I, O> {
  /**
   * Expands one item.
   *
   * @param item the item
   * @return the outputs for this item, in order; never {@code null}
   * @throws Exception to fail the run
   */
  Iterable<? extends O> apply(I item) throws Exception;
}
