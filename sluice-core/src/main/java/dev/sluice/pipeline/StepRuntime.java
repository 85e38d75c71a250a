package dev.sluice.pipeline;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * One declared step in one run: its operation and its counters. The threads that run it belong to
 * its {@link StageRuntime}, alone or chained with its neighbours; either way the step keeps its own
 * counts and its own name in failures.
 */
final class StepRuntime {
  final String name;
  final StepSpec spec;

  /** The queue in front of the step; {@code null} when it is chained to the step before it. */
  private final BatchQueue in;

  private final Chain chain;
  private final LongAdder itemsIn = new LongAdder();
  private final LongAdder itemsOut = new LongAdder();
  private final LongAdder filtered = new LongAdder();
  private final LongAdder stopped = new LongAdder();
  private final LongAdder busyNanos = new LongAdder();

  StepRuntime(String name, StepSpec spec, BatchQueue in, Chain chain) {
    this.name = name;
    this.spec = spec;
    this.in = in;
    this.chain = chain;
  }

  /**
   * Adds the counts of one batch, which took {@code nanos} to process, to the step's counters, so
   * that they can be read while the run goes on; leaves {@code tally}, the worker's scratch space,
   * reset.
   */
  void count(Tally tally, long nanos) {
    busyNanos.add(nanos);
    itemsIn.add(tally.in);
    itemsOut.add(tally.out);
    if (tally.filtered != 0) {
      filtered.add(tally.filtered);
    }
    if (tally.stopped != 0) {
      stopped.add(tally.stopped);
    }
    tally.reset();
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

  /** Whether the step is inside a union's branch (whose items the union's neighbours count). */
  boolean inBranch() {
    return chain.branch;
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
        in == null ? 0 : in.depth(),
        in == null ? 0 : in.items(),
        Duration.ofNanos(busyNanos.sum()));
  }
}
