package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The head of a stage that starts with a keyed, exchanging step (reduce, reduce_epoch,
 * stateful_map): it receives the items routed to this worker from every worker, one channel per
 * source, and tracks the epoch frontier of each channel.
 *
 * <p>The stage's frontier is the minimum over all channels, so an epoch is complete here only when
 * every upstream worker has passed it. Each channel carries items in non-decreasing epoch order, so
 * an item's epoch also advances its channel. Confined to one worker thread.
 */
abstract class KeyedStage extends Emitter {
  final Step step;
  final int stepIndex;
  private final long[] channels;
  long frontier = Long.MIN_VALUE;

  KeyedStage(Step step, int stepIndex, int sources) {
    this.step = step;
    this.stepIndex = stepIndex;
    this.channels = new long[sources];
    Arrays.fill(channels, Long.MIN_VALUE);
  }

  static KeyedStage of(Step step, int stepIndex, int sources) {
    if (step instanceof Step.Reduce) {
      return new ReduceStage((Step.Reduce) step, stepIndex, sources);
    }
    if (step instanceof Step.ReduceEpoch) {
      return new ReduceEpochStage((Step.ReduceEpoch) step, stepIndex, sources);
    }
    if (step instanceof Step.StatefulMap) {
      return new StatefulMapStage((Step.StatefulMap) step, stepIndex, sources);
    }
    throw new IllegalArgumentException("not an exchanging step: " + step.operator());
  }

  /** Takes one item routed here by {@code source}. */
  final void receive(int source, long epoch, KV<Object, Object> item) throws Exception {
    if (epoch > channels[source]) {
      channels[source] = epoch;
      recompute();
    }
    onItem(epoch, item);
  }

  /** Takes a frontier marker from {@code source}: it will send nothing below {@code frontier}. */
  final void receiveFrontier(int source, long frontier) throws Exception {
    if (frontier > channels[source]) {
      channels[source] = frontier;
      recompute();
    }
  }

  final boolean done() {
    return frontier == Long.MAX_VALUE;
  }

  private void recompute() throws Exception {
    long min = Long.MAX_VALUE;
    for (long channel : channels) {
      min = Math.min(min, channel);
    }
    if (min > frontier) {
      frontier = min;
      onAdvance(min);
      next.advance(min);
    }
  }

  /** Takes an item whose epoch is at or above the stage frontier. */
  abstract void onItem(long epoch, KV<Object, Object> item) throws Exception;

  /** Reacts to a new stage frontier, before it is passed downstream. */
  abstract void onAdvance(long frontier) throws Exception;

  /** A stage that must see values in epoch order: holds items of epochs above the frontier. */
  abstract static class Ordered extends KeyedStage {
    private final TreeMap<Long, ArrayList<KV<Object, Object>>> pending = new TreeMap<>();

    Ordered(Step step, int stepIndex, int sources) {
      super(step, stepIndex, sources);
    }

    @Override
    final void onItem(long epoch, KV<Object, Object> item) throws Exception {
      if (epoch <= frontier) {
        process(epoch, item);
      } else {
        pending.computeIfAbsent(epoch, e -> new ArrayList<>()).add(item);
      }
    }

    @Override
    final void onAdvance(long frontier) throws Exception {
      while (!pending.isEmpty() && pending.firstKey() <= frontier) {
        Map.Entry<Long, ArrayList<KV<Object, Object>>> entry = pending.pollFirstEntry();
        for (KV<Object, Object> item : entry.getValue()) {
          process(entry.getKey(), item);
        }
      }
    }

    abstract void process(long epoch, KV<Object, Object> item) throws Exception;
  }

  static final class ReduceStage extends Ordered {
    private final Reducer<Object> reducer;
    private final CompletionCheck<Object> isComplete;
    private final HashMap<Object, EpochAggregates.Slot> aggregators = EpochAggregates.slots();
    private final String where;

    ReduceStage(Step.Reduce step, int stepIndex, int sources) {
      super(step, stepIndex, sources);
      this.reducer = step.reducer();
      this.isComplete = step.isComplete();
      this.where = Node.where(step, stepIndex);
    }

    @Override
    void process(long epoch, KV<Object, Object> item) throws Exception {
      Object key = item.key();
      EpochAggregates.Slot slot = aggregators.get(key);
      Object aggregator =
          slot == null
              ? item.value()
              : EpochAggregates.reduce(reducer, slot.value, item.value(), key, where);
      if (isComplete.isComplete(aggregator)) {
        if (slot != null) {
          aggregators.remove(key);
        }
        next.push(epoch, new KV<>(key, aggregator));
      } else if (slot == null) {
        aggregators.put(key, new EpochAggregates.Slot(aggregator));
      } else {
        slot.value = aggregator;
      }
    }
  }

  static final class StatefulMapStage extends Ordered {
    private final StateBuilder<Object, Object> builder;
    private final StatefulMapper<Object, Object, Object> mapper;
    private final HashMap<Object, Object> states = new HashMap<>();

    StatefulMapStage(Step.StatefulMap step, int stepIndex, int sources) {
      super(step, stepIndex, sources);
      this.builder = step.builder();
      this.mapper = step.mapper();
    }

    @Override
    void process(long epoch, KV<Object, Object> item) throws Exception {
      Object key = item.key();
      Object state = states.get(key);
      if (state == null) {
        state = builder.build(key);
      }
      StateUpdate<Object, Object> update = mapper.map(state, item.value());
      if (update == null) {
        throw new SluiceException(
            Node.where(step, stepIndex)
                + ": the mapper returned null for key "
                + key
                + "; return StateUpdate.of(state, output), with a null state to forget the key");
      }
      if (update.state() == null) {
        states.remove(key);
      } else {
        states.put(key, update.state());
      }
      next.push(epoch, new KV<>(key, update.output()));
    }
  }

  static final class ReduceEpochStage extends KeyedStage {
    private final EpochAggregates aggregates;

    ReduceEpochStage(Step.ReduceEpoch step, int stepIndex, int sources) {
      super(step, stepIndex, sources);
      this.aggregates = new EpochAggregates(step.reducer(), Node.where(step, stepIndex));
    }

    @Override
    void onItem(long epoch, KV<Object, Object> item) throws Exception {
      aggregates.add(epoch, item.key(), item.value());
    }

    @Override
    void onAdvance(long frontier) throws Exception {
      aggregates.emitBelow(frontier, next);
    }
  }
}
