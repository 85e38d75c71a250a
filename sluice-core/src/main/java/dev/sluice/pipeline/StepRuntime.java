package dev.sluice.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One step in one run: its input queue, its workers' loop and its counters.
 *
 * <p>The end of the feed reaches a step as {@link Batch#END}; each worker that takes it passes it
 * on to a sibling through the input queue, and the last worker to stop forwards it downstream, so
 * it always follows every output of the step.
 */
final class StepRuntime {
  final String name;
  final StepSpec spec;
  final BatchQueue in;
  private final Outlet out;
  private final Chain chain;
  private final Run run;
  private final AtomicInteger working;
  private final LongAdder itemsIn = new LongAdder();
  private final LongAdder itemsOut = new LongAdder();
  private final LongAdder filtered = new LongAdder();
  private final LongAdder stopped = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  StepRuntime(String name, StepSpec spec, BatchQueue in, Outlet out, Chain chain, Run run) {
    this.name = name;
    this.spec = spec;
    this.in = in;
    this.out = out;
    this.chain = chain;
    this.run = run;
    this.working = new AtomicInteger(spec.workers());
  }

  /** The loop of one worker thread. */
  void work() {
    Tally tally = new Tally();
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
        long start = System.nanoTime();
        Batch result = spec.operation().apply(batch, this, tally);
        busyNanos.add(System.nanoTime() - start);
        itemsIn.add(tally.in);
        itemsOut.add(tally.out);
        if (tally.filtered != 0) {
          filtered.add(tally.filtered);
        }
        if (tally.stopped != 0) {
          stopped.add(tally.stopped);
        }
        tally.reset();
        out.put(result);
      }
    } catch (RunCancelled cancelled) {
      // the run's first failure is already recorded
    } catch (Throwable failure) {
      run.fail(Failure.inStep(name, seq, failure));
    }
  }

  /**
   * Handles {@link Step#stop()} and {@link Step#stopWith(Object)}: returns the item's final output,
   * or {@code null} when the item is dropped.
   */
  Finished stopped(StopSignal signal, Tally tally) {
    if (!signal.hasValue()) {
      if (chain.branch) {
        throw new IllegalStateException(
            "Step.stop() cannot be used in a union branch: the item would have no output to"
                + " join; use Step.stopWith(value) there");
      }
      tally.stopped++;
      return null;
    }
    if (chain.outputType == null) {
      throw new IllegalStateException(
          "Step.stopWith(value) needs the pipeline's output type declared up front with"
              + " outputType(Class); this pipeline declares none (value "
              + Checks.describe(signal.value())
              + ")");
    }
    Object value = signal.value();
    if (value != null) {
      chain.checkType(value, "the value of Step.stopWith(value)");
    }
    return new Finished(value, chain);
  }

  long itemsIn() {
    return itemsIn.sum();
  }

  long itemsOut() {
    return itemsOut.sum();
  }

  long filtered() {
    return filtered.sum();
  }

  long stopped() {
    return stopped.sum();
  }

  StepMetrics snapshot() {
    return new StepMetrics(
        name,
        spec.workers(),
        itemsIn.sum(),
        itemsOut.sum(),
        filtered.sum(),
        stopped.sum(),
        in.depth(),
        in.items(),
        Duration.ofNanos(busyNanos.sum()));
  }
}
