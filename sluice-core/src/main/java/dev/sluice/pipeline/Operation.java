package dev.sluice.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What a step does to one batch. Map and filter steps write their outputs over the batch's own
 * array (output {@code k} never overtakes input {@code k}) unless the batch is shared; flat-map and
 * batch steps write new arrays. Items {@link Finished} upstream pass through uncounted.
 */
abstract class Operation {
  /** The kind, for messages: map, filter, flat-map, batch. */
  abstract String kind();

  /** Whether every item gives exactly one output, as a union's branches need. */
  abstract boolean oneToOne();

  abstract Batch apply(Batch in, StepRuntime step, Tally tally) throws Exception;

  @SuppressWarnings("unchecked")
  static Operation map(Step<?, ?> step) {
    return new MapOperation((Step<Object, Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation filter(FilterStep<?> step) {
    return new FilterOperation((FilterStep<Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation flatMap(FlatMapStep<?, ?> step) {
    return new FlatMapOperation((FlatMapStep<Object, Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation batch(BatchStep<?, ?> step) {
    return new BatchOperation((BatchStep<Object, Object>) step);
  }

  private static final class MapOperation extends Operation {
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

  private static final class FilterOperation extends Operation {
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

  private static final class FlatMapOperation extends Operation {
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

  private static final class BatchOperation extends Operation {
    private final BatchStep<Object, Object> fn;

    BatchOperation(BatchStep<Object, Object> fn) {
      this.fn = fn;
    }

    @Override
    String kind() {
      return "batch";
    }

    @Override
    boolean oneToOne() {
      return true;
    }

    @Override
    Batch apply(Batch in, StepRuntime step, Tally tally) throws Exception {
      List<Object> live;
      int[] places = null;
      if (in.hasFinished) {
        live = new ArrayList<>(in.size);
        places = new int[in.size];
        for (int i = 0; i < in.size; i++) {
          if (!(in.items[i] instanceof Finished)) {
            places[live.size()] = i;
            live.add(in.items[i]);
          }
        }
        live = Collections.unmodifiableList(live);
      } else {
        live = in.readOnlyView();
      }
      if (live.isEmpty()) {
        return in;
      }
      List<Object> outputs;
      try {
        outputs = fn.apply(live);
      } catch (StopSignal signal) {
        throw new IllegalStateException(
            "Step.stop() and Step.stopWith(value) end one item; a batch step processes a whole"
                + " batch and cannot use them");
      }
      int given = outputs == null ? -1 : outputs.size();
      if (given != live.size()) {
        throw new IllegalStateException(
            "a batch step must return one output per input: "
                + live.size()
                + " in, "
                + (outputs == null ? "null" : given + " out"));
      }
      Object[] out;
      if (places == null) {
        out = outputs.toArray();
      } else {
        out = in.items.clone();
        for (int i = 0; i < given; i++) {
          out[places[i]] = outputs.get(i);
        }
      }
      tally.in += given;
      tally.out += given;
      return new Batch(in.seq, out, in.size, in.hasFinished);
    }
  }
}
