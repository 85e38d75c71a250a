package dev.sluice.pipeline;

import java.util.Arrays;

/**
 * A flat-map step over one batch. Each flat-map step gets its own copy of this class (see {@link
 * Specializer}); keep it free of nested classes and lambdas.
 */
final class FlatMapOperation extends Operation {
  private final FlatMapStep<Object, Object> fn;

  FlatMapOperation(FlatMapStep<Object, Object> fn) {
    this.fn = fn;
  }

  @Override
  String kind() {
    return "flat-map";
  }

  @Override
  boolean oneToOne() {
    return false;
  }

  @Override
  Batch apply(Batch in, StepRuntime step, Tally tally) throws Exception {
    Object[] items = in.items;
    int size = in.size;
    Object[] out = new Object[Math.max(size, 1)];
    int count = 0;
    int passed = 0;
    boolean finished = in.hasFinished;
    for (int i = 0; i < size; i++) {
      Object item = items[i];
      if (in.hasFinished && item instanceof Finished) {
        out = room(out, count);
        out[count++] = item;
        passed++;
        continue;
      }
      int mark = count;
      try {
        Iterable<?> outputs = fn.apply(item);
        if (outputs == null) {
          throw new IllegalStateException(
              "a flat-map step must return outputs, not null; return an empty collection to"
                  + " drop an item: null for item "
                  + Checks.describe(item));
        }
        for (Object output : outputs) {
          out = room(out, count);
          out[count++] = output;
        }
      } catch (StopSignal signal) {
        Arrays.fill(out, mark, count, null);
        count = mark;
        Finished end = step.stopped(signal, tally);
        if (end != null) {
          out = room(out, count);
          out[count++] = end;
          finished = true;
        }
      }
    }
    tally.in += size - passed;
    tally.out += count - passed;
    return new Batch(in.seq, out, count, finished);
  }

  private static Object[] room(Object[] out, int count) {
    return count < out.length ? out : Arrays.copyOf(out, out.length * 2);
  }
}
