package dev.sluice.pipeline;

/**
 * A step that turns each item into one output: the map step of a {@link Pipeline}.
 *
 * <p>A step may end the processing of one item early, the way PipeFrame's {@code continue=False}
 * does: {@link #stop()} drops the item (counted as stopped), {@link #stopWith(Object)} makes a
 * value the item's final output and skips the remaining steps. Both work by throwing a signal that
 * the pipeline catches, so they are written as a return value: {@code return s.isBlank() ?
 * Step.stop() : s.trim();}. Do not catch that signal in step code ({@code catch (RuntimeException
 * e)} around them would swallow it).
 *
 * <p>Thread-safety: a step with {@code n} workers is called by up to {@code n} threads at once, one
 * item at a time on each. It may block; {@link PipelineRun#close()} and a failure elsewhere
 * interrupt it.
 *
 * @param <I> the type of item it takes
 * @param <O> the type of output it gives
 */
@FunctionalInterface
public interface Step<I, O> {
  /**
   * Processes one item.
   *
   * @param item the item, possibly {@code null} if the feed or an earlier step gave one
   * @return the output for this item
   * @throws Exception to fail the run; the caller gets a {@link PipelineException} naming this step
   *     and the batch
   */
  O apply(I item) throws Exception;

  /**
   * Ends the processing of the current item and drops it; it is counted as stopped.
   *
   * <p>Call it only from inside a step ({@link Step}, {@link FilterStep} or {@link FlatMapStep}) of
   * a running pipeline. It never returns normally; the type parameter only lets it stand where a
   * value is expected. A {@link BatchStep} cannot stop single items: calling it there fails the
   * run, and so does calling it in a branch of a union (the branch would leave its item without an
   * output to join).
   *
   * @param <R> any type
   * @return never
   */
  static <R> R stop() {
    throw StopSignal.STOP;
  }

  /**
   * Ends the processing of the current item with {@code value} as its final output; the remaining
   * steps are skipped for it, and it keeps its place in the output order.
   *
   * <p>Only in a pipeline whose output type was declared up front with {@link
   * PipelineBuilder#outputType(Class)}: the value must be an instance of that type (or {@code
   * null}), which is checked when the step returns. In any other pipeline the call fails the run.
   * Inside a branch of a union the value is that branch's output for the item, checked against the
   * branch's declared output type. It never returns normally.
   *
   * @param value the item's final output
   * @param <R> any type
   * @return never
   */
  static <R> R stopWith(Object value) {
    throw new StopSignal(value);
  }
}
