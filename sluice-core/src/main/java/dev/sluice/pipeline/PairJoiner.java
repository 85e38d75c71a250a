package dev.sluice.pipeline;

/**
 * Joins the typed outputs of a two-branch union for one item: the stacked joiner of {@link
 * PipelineBuilder#union(String, Pipeline, Pipeline, PairJoiner)}. A record's constructor is one:
 * {@code Features::new} for {@code record Features(int length, String upper)}.
 *
 * <p>Called once per item, possibly by several threads at once, like {@link Joiner}.
 *
 * @param <A> the first branch's output type
 * @param <B> the second branch's output type
 * @param <O> the joined output type
 */
@FunctionalInterface
public interface PairJoiner<A, B, O> {
  /**
   * Joins one item's branch outputs.
   *
   * @param first the first branch's output
   * @param second the second branch's output
   * @return the joined output
   * @throws Exception to fail the run
   */
  O join(A first, B second) throws Exception;
}
