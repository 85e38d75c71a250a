package dev.sluice.pipeline;

/**
 * A filter step over one batch. Each filter step gets its own copy of this class (see {@link
 * Specializer}); keep it free of nested classes and lambdas.
 */
final class FilterOperation extends Operation {
  private final FilterStep<Object> fn;

  FilterOperation(FilterStep<Object> fn) {
    this.fn = fn;
  }

  @Override
  String kind() {
    return "filter";
  }

  @Override
  boolean oneToOne() {
    return false;
  }

  @Override
  Batch apply(Batch in, StepRuntime step, Tally tally) throws Exception {
    Object[] items = in.items;
    int size = in.size;
    Object[] out = in.shared ? new Object[size] : items;
    int count = 0;
    int passed = 0;
    boolean finished = in.hasFinished;
    for (int i = 0; i < size; i++) {
      Object item = items[i];
      if (in.hasFinished && item instanceof Finished) {
        out[count++] = item;
        passed++;
        continue;
      }
      try {
        if (fn.test(item)) {
          out[count++] = item;
        } else {
          tally.filtered++;
        }
      } catch (StopSignal signal) {
        Finished end = step.stopped(signal, tally);
        if (end != null) {
          out[count++] = end;
          finished = true;
        }
      }
    }
    tally.in += size - passed;
    tally.out += count - passed;
    return new Batch(in.seq, out, count, finished);
  }
}
