package dev.sluice.pipeline;

/**
 * A map step over one batch. Each map step gets its own copy of this class (see {@link
 * Specializer}); keep it free of nested classes and lambdas.
 */
final class MapOperation extends Operation {
  private final Step<Object, Object> fn;

  MapOperation(Step<Object, Object> fn) {
    this.fn = fn;
  }

  @Override
  String kind() {
    return "map";
  }

  @Override
  boolean oneToOne() {
    return true;
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
        out[count] = fn.apply(item);
        count++;
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
