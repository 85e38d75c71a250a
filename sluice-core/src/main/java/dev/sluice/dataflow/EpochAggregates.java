package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-epoch, per-key aggregators for reduce_epoch and reduce_epoch_local.
 *
 * <p>Keys of one epoch are emitted in the order they were first seen, epochs in ascending order.
 * Confined to one worker thread.
 */
final class EpochAggregates {
  /** A mutable aggregator, so that an update costs one map lookup. */
  static final class Slot {
    Object value;

    Slot(Object value) {
      this.value = value;
    }
  }

  private final Reducer<Object> reducer;
  private final String where;
  private final TreeMap<Long, LinkedHashMap<Object, Slot>> epochs = new TreeMap<>();
  private long lastEpoch;
  private Map<Object, Slot> last;

  EpochAggregates(Reducer<Object> reducer, String where) {
    this.reducer = reducer;
    this.where = where;
  }

  void add(long epoch, Object key, Object value) throws Exception {
    Map<Object, Slot> slots = last;
    if (slots == null || epoch != lastEpoch) {
      slots = epochs.computeIfAbsent(epoch, e -> new LinkedHashMap<>());
      last = slots;
      lastEpoch = epoch;
    }
    Slot slot = slots.get(key);
    if (slot == null) {
      slots.put(key, new Slot(value));
    } else {
      slot.value = reduce(reducer, slot.value, value, key, where);
    }
  }

  /**
   * Emits {@code KV(key, aggregator)} for every epoch below {@code frontier}, then forgets them.
   */
  void emitBelow(long frontier, Node next) throws Exception {
    while (!epochs.isEmpty() && epochs.firstKey() < frontier) {
      Map.Entry<Long, LinkedHashMap<Object, Slot>> entry = epochs.pollFirstEntry();
      if (entry.getValue() == last) {
        last = null;
      }
      long epoch = entry.getKey();
      for (Map.Entry<Object, Slot> slot : entry.getValue().entrySet()) {
        next.push(epoch, new KV<>(slot.getKey(), slot.getValue().value));
      }
    }
  }

  static Object reduce(
      Reducer<Object> reducer, Object aggregator, Object value, Object key, String where)
      throws Exception {
    Object result = reducer.reduce(aggregator, value);
    if (result == null) {
      throw new SluiceException(where + ": the reducer returned null for key " + key);
    }
    return result;
  }

  /** A key-to-slot map sized for aggregation; used by reduce. */
  static HashMap<Object, Slot> slots() {
    return new HashMap<>();
  }
}
