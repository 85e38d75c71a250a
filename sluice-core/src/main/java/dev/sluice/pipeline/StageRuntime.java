package dev.sluice.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one run that serve one input queue: a step's workers, or the single worker of a
 * chain of steps (adjacent steps with one worker each, see {@link
 * PipelineBuilder#chaining(boolean)}). A worker takes a batch, runs it through its steps in order
 * as plain calls, and hands the result on; each step counts for itself and a failure names the step
 * that was running.
 *
 * <p>The end of the feed reaches the stage as {@link Batch#END}; each worker that takes it passes
 * it on to a sibling through the input queue, and the last worker to stop forwards it downstream,
 * so it always follows every output of the stage.
 */
final class StageRuntime {
  /** The name its threads carry: the step's name, or the chained steps' names joined by '+'. */
  final String name;

  final int workers;
  final BatchQueue in;
  private final StepRuntime[] steps;
  private final Outlet out;
  private final Run run;
  private final AtomicInteger working;

  StageRuntime(String name, List<StepRuntime> steps, BatchQueue in, Outlet out, Run run) {
    this.name = name;
    this.steps = steps.toArray(new StepRuntime[0]);
    this.workers = this.steps[0].spec.workers();
    if (this.steps.length > 1 && workers != 1) {
      throw new IllegalStateException("only single-worker steps can be chained: " + name);
    }
    this.in = in;
    this.out = out;
    this.run = run;
    this.working = new AtomicInteger(workers);
  }

  /** The loop of one worker thread. */
  void work() {
    Tally tally = new Tally();
    StepRuntime current = steps[0];
    long seq = -1;
    try {
      while (true) {
        Batch batch = in.take();
        if (batch == Batch.END) {
          if (working.decrementAndGet() == 0) {
            out.put(Batch.END);
          } else {
            in.put(Batch.END);
          }
          return;
        }
        seq = batch.seq;
        // one clock reading ends a step's time and starts the next one's
        long start = System.nanoTime();
        for (int s = 0; s < steps.length; s++) {
          if (s > 0 && run.isCancelled()) {
            // a failure elsewhere should not wait for the rest of a long chain
            throw RunCancelled.INSTANCE;
          }
          current = steps[s];
          batch = current.spec.operation().apply(batch, current, tally);
          long end = System.nanoTime();
          current.count(tally, end - start);
          start = end;
        }
        out.put(batch);
      }
    } catch (RunCancelled cancelled) {
      // the run's first failure is already recorded
    } catch (Throwable failure) {
      run.fail(Failure.inStep(current.name, seq, failure));
    }
  }
}
