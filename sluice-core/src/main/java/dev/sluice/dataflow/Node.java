package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import dev.sluice.spi.Sink;

/**
 * One step of a worker's running chain: receives items and epoch-frontier advances and passes
 * results to {@link #next}.
 *
 * <p>A frontier {@code f} means every epoch below {@code f} is complete at this point: no item of
 * such an epoch will arrive any more. {@link Long#MAX_VALUE} means the end of input. Items reach a
 * node in non-decreasing epoch order and never below the last frontier. Confined to one worker
 * thread.
 */
abstract class Node extends Emitter {

  /** Takes one item of the given epoch. */
  abstract void push(long epoch, Object item) throws Exception;

  /** Closes every epoch below {@code frontier}: flush what belongs to them, then pass it on. */
  void advance(long frontier) throws Exception {
    next.advance(frontier);
  }

  /** Returns {@code item} as a KV, or fails naming the step and the bad item. */
  @SuppressWarnings("unchecked")
  static KV<Object, Object> kv(Object item, Step step, int stepIndex) {
    if (item instanceof KV<?, ?>) {
      KV<Object, Object> kv = (KV<Object, Object>) item;
      if (kv.value() == null) {
        throw new SluiceException(
            where(step, stepIndex) + " takes KV items with a non-null value; got " + kv);
      }
      return kv;
    }
    throw new SluiceException(
        where(step, stepIndex)
            + " takes KV items; got "
            + (item == null ? "null" : item.getClass().getName() + ": " + item));
  }

  /** Names a step in messages: {@code reduce_epoch (step 3)}. */
  static String where(Step step, int stepIndex) {
    return step.operator() + " (step " + stepIndex + ")";
  }

  /** The end of a chain: items fall off, frontiers stop. */
  static final class End extends Node {
    @Override
    void push(long epoch, Object item) {}

    @Override
    void advance(long frontier) {}
  }

  static final class MapNode extends Node {
    private final Mapper<Object, Object> mapper;

    MapNode(Step.Map step) {
      this.mapper = step.mapper();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      next.push(epoch, mapper.map(item));
    }
  }

  static final class FlatMapNode extends Node {
    private final FlatMapper<Object, Object> mapper;

    FlatMapNode(Step.FlatMap step) {
      this.mapper = step.mapper();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      Iterable<?> items = mapper.flatMap(item);
      if (items == null) {
        throw new SluiceException("flat_map mapper returned null for " + item + "; return a list");
      }
      for (Object out : items) {
        next.push(epoch, out);
      }
    }
  }

  static final class FilterNode extends Node {
    private final ItemPredicate<Object> predicate;

    FilterNode(Step.Filter step) {
      this.predicate = step.predicate();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      if (predicate.test(item)) {
        next.push(epoch, item);
      }
    }
  }

  static final class InspectNode extends Node {
    private final Inspector<Object> inspector;

    InspectNode(Step.Inspect step) {
      this.inspector = step.inspector();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      inspector.inspect(item);
      next.push(epoch, item);
    }
  }

  static final class InspectEpochNode extends Node {
    private final EpochInspector<Object> inspector;

    InspectEpochNode(Step.InspectEpoch step) {
      this.inspector = step.inspector();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      inspector.inspect(epoch, item);
      next.push(epoch, item);
    }
  }

  static final class CaptureNode extends Node {
    private final Sink<Epoched<Object>> output;
    private final Mapper<Object, Object> asOutput;

    CaptureNode(Step.Capture step, Sink<Epoched<Object>> output) {
      this.output = output;
      this.asOutput = step.asOutput();
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      output.write(new Epoched<>(epoch, asOutput == null ? item : asOutput.map(item)));
      next.push(epoch, item);
    }
  }

  /** reduce_epoch_local: aggregates per epoch and key on this worker, emits when epochs close. */
  static final class ReduceEpochLocalNode extends Node {
    private final EpochAggregates aggregates;
    private final Step step;
    private final int stepIndex;

    ReduceEpochLocalNode(Step.ReduceEpochLocal step, int stepIndex) {
      this.aggregates = new EpochAggregates(step.reducer(), where(step, stepIndex));
      this.step = step;
      this.stepIndex = stepIndex;
    }

    @Override
    void push(long epoch, Object item) throws Exception {
      KV<Object, Object> kv = kv(item, step, stepIndex);
      aggregates.add(epoch, kv.key(), kv.value());
    }

    @Override
    void advance(long frontier) throws Exception {
      aggregates.emitBelow(frontier, next);
      next.advance(frontier);
    }
  }
}
