package dev.sluice.pipeline;

/**
 * Joins the typed outputs of a three-branch union for one item: the stacked joiner of {@link
 * PipelineBuilder#union(String, Pipeline, Pipeline, Pipeline, TripleJoiner)}. A record's
 * constructor is one.
 *
 * <p>Called once per item, possibly by several threads at once, like {@link Joiner}.
 *
 * @param <A> the first branch's output type
 * @param <B> the second branch's output type
 * @param <C> the third branch's output type
 * @param <O> the joined output type
 */
@FunctionalInterface
public interface TripleJoiner<A, B, C, O> {
  /**
   * Joins one item's branch outputs.
   *
   * @param first the first branch's output
   * @param second the second branch's output
   * @param third the third branch's output
   * @return the joined output
   * @throws Exception to fail the run
   */
  O join(A first, B second, C third) throws Exception;
}
