package dev.sluice.pipeline;

import java.util.ArrayList;
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

  /*
   * Map, filter and flat-map steps call the user's function once per item, so their operations
   * come from private copies of their classes (see Specializer); a batch step is called once per
   * batch and shares its class.
   */
  private static final Specializer MAPS = new Specializer(MapOperation.class, Step.class);
  private static final Specializer FILTERS =
      new Specializer(FilterOperation.class, FilterStep.class);
  private static final Specializer FLAT_MAPS =
      new Specializer(FlatMapOperation.class, FlatMapStep.class);

  @SuppressWarnings("unchecked")
  static Operation map(Step<?, ?> step) {
    Operation copy = MAPS.create(step);
    return copy != null ? copy : new MapOperation((Step<Object, Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation filter(FilterStep<?> step) {
    Operation copy = FILTERS.create(step);
    return copy != null ? copy : new FilterOperation((FilterStep<Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation flatMap(FlatMapStep<?, ?> step) {
    Operation copy = FLAT_MAPS.create(step);
    return copy != null ? copy : new FlatMapOperation((FlatMapStep<Object, Object>) step);
  }

  @SuppressWarnings("unchecked")
  static Operation batch(BatchStep<?, ?> step) {
    return new BatchOperation((BatchStep<Object, Object>) step);
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
