package dev.sluice.pipeline;

import java.time.Duration;

/** A stream-mode run whose collector has a thread of its own. */
final class RunHandle implements PipelineRun {
  private final Run run;
  private final Thread collector;

  RunHandle(Run run, Run.Delivery delivery) {
    this.run = run;
    this.collector =
        new Thread(
            () -> {
              try {
                run.collect(delivery, "the sink");
              } catch (PipelineException reported) {
                // kept by the run; await() throws it
              }
            },
            "sluice-pipeline-collect");
    collector.setDaemon(true);
  }

  void start() {
    collector.start();
  }

  @Override
  public State state() {
    return run.state();
  }

  @Override
  public PipelineMetrics metrics() {
    return run.metrics();
  }

  @Override
  public void await() throws InterruptedException {
    run.awaitEnd();
    collector.join();
    throwIfFailed();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!run.awaitEnd(timeout)) {
      return false;
    }
    collector.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    if (collector.isAlive()) {
      return false;
    }
    throwIfFailed();
    return true;
  }

  private void throwIfFailed() {
    PipelineException failure = run.failure();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    run.fail(Failure.cancelled("the pipeline run was closed", null));
    boolean interrupted = false;
    while (collector.isAlive()) {
      try {
        collector.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
