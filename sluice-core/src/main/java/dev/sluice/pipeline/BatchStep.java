package dev.sluice.pipeline;

import java.util.List;

/**
 * A step that processes a whole batch at once (a vectorized model, a bulk lookup) and returns one
 * output per input, in the same order.
 *
 * <p>The pipeline checks the count: a result of another size, or {@code null}, fails the run naming
 * the step and the batch. The list it receives is read-only and only valid during the call. It
 * holds the batch's live items: items already ended with {@link Step#stopWith(Object)} bypass it.
 * {@link Step#stop()} cannot be used here. Thread-safety and blocking as for {@link Step}: a batch
 * step with {@code n} workers is called with up to {@code n} batches at once.
 *
 * @param <I> the type of item it takes
 * @param <O> the type of output it gives
 */
@FunctionalInterface
public interface BatchStep<I, O> {
  /**
   * Processes the items of one batch.
   *
   * @param items the items, at most the pipeline's batch size
   * @return exactly one output per item, in the same order
   * @throws Exception to fail the run
   */
  List<O> apply(List<I> items) throws Exception;
}
