package dev.sluice.pipeline;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One union in one run. Its inlet hands every batch to each branch; each branch's end hands its
 * outputs back here, and once all branches gave a batch (matched by sequence number) the joiner
 * runs per item, in declared branch order, on the thread that brought the last branch's outputs.
 * Batches waiting for their other branches are bounded by the run's in-flight limit.
 */
final class UnionRuntime {
  private final String name;
  private final Joiner<?> joiner;
  private final Outlet downstream;
  private final Run run;
  private final int branches;
  private final Map<Long, Pending> pending = new HashMap<>();
  private int ends;

  UnionRuntime(String name, Joiner<?> joiner, int branches, Outlet downstream, Run run) {
    this.name = name;
    this.joiner = joiner;
    this.branches = branches;
    this.downstream = downstream;
    this.run = run;
  }

  /** The outlet that feeds the union: it hands each batch to every branch's first stage. */
  Outlet inlet(List<Outlet> branchInlets) {
    return batch -> {
      Batch shared = batch.asShared();
      if (shared != Batch.END) {
        synchronized (this) {
          pending.put(shared.seq, new Pending(shared, branches));
        }
      }
      for (Outlet branch : branchInlets) {
        branch.put(shared);
      }
    };
  }

  /** The outlet at the end of branch {@code index}. */
  Outlet branchEnd(int index, Chain chain) {
    return batch -> arrive(index, chain, batch);
  }

  private void arrive(int index, Chain chain, Batch batch) throws InterruptedException {
    if (batch == Batch.END) {
      boolean last;
      synchronized (this) {
        last = ++ends == branches;
      }
      if (last) {
        downstream.put(Batch.END);
      }
      return;
    }
    Batch joined = null;
    try {
      Object[] values = chain.unwrap(batch, "the output of union branch " + index);
      Pending waiting;
      synchronized (this) {
        waiting = pending.get(batch.seq);
        if (waiting.input.size != batch.size) {
          throw new IllegalStateException(
              "union branch "
                  + index
                  + " must give one output per item: "
                  + waiting.input.size
                  + " items in, "
                  + batch.size
                  + " out");
        }
        waiting.outputs[index] = values;
        if (++waiting.arrived == branches) {
          pending.remove(batch.seq);
        } else {
          waiting = null;
        }
      }
      if (waiting != null) {
        joined = join(waiting);
      }
    } catch (Throwable failure) {
      run.fail(Failure.inStep(name, batch.seq, failure));
      throw RunCancelled.INSTANCE;
    }
    if (joined != null) {
      downstream.put(joined);
    }
  }

  private Batch join(Pending waiting) throws Exception {
    Batch input = waiting.input;
    Object[] joined = new Object[input.size];
    for (int i = 0; i < input.size; i++) {
      Object item = input.items[i];
      if (input.hasFinished && item instanceof Finished) {
        joined[i] = item;
        continue;
      }
      Object[] row = new Object[branches];
      for (int b = 0; b < branches; b++) {
        row[b] = waiting.outputs[b][i];
      }
      joined[i] = joiner.join(Collections.unmodifiableList(Arrays.asList(row)));
    }
    return new Batch(input.seq, joined, input.size, input.hasFinished);
  }

  private static final class Pending {
    final Batch input;
    final Object[][] outputs;
    int arrived;

    Pending(Batch input, int branches) {
      this.input = input;
      this.outputs = new Object[branches][];
    }
  }
}
