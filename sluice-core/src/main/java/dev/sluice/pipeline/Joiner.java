package dev.sluice.pipeline;

import java.util.List;

/**
 * Joins the outputs that the branches of a union gave for one item into the union's output.
 *
 * <p>Called once per item, with the branches' outputs in declared branch order, on whichever worker
 * thread completed the item's batch last; so it may be called by several threads at once.
 *
 * @param <O> the type of the joined output
 */
@FunctionalInterface
public interface Joiner<O> {
  /**
   * Joins one item's branch outputs.
   *
   * @param outputs one output per branch, in the order the branches were declared; read-only
   * @return the joined output
   * @throws Exception to fail the run
   */
  O join(List<Object> outputs) throws Exception;
}
