package dev.sluice.dataflow;

/**
 * One step of a {@link Dataflow}: the immutable description a runner translates into running code.
 *
 * <p>Users build steps through {@link Dataflow.Builder}; runners (the local engine behind {@link
 * Execution}, and later the Kafka Streams runner) read them from {@link Dataflow#steps()}. The
 * functions are stored with their types erased; the builder checked them when the flow was built.
 * Instances are immutable and safe to share between threads.
 */
public sealed interface Step {

  /** The operator's bytewax-style name, such as {@code "reduce_epoch"}, for messages. */
  String operator();

  /**
   * Whether the step routes items by key, so that every value of a key reaches the same worker.
   * True for {@code reduce}, {@code reduceEpoch} and {@code statefulMap}; false for every other
   * step, including {@code reduceEpochLocal}.
   */
  default boolean exchangesByKey() {
    return false;
  }

  /**
   * A one-to-one transformation.
   *
   * @param mapper the function
   */
  record Map(Mapper<Object, Object> mapper) implements Step {
    @Override
    public String operator() {
      return "map";
    }
  }

  /**
   * A one-to-many transformation.
   *
   * @param mapper the function
   */
  record FlatMap(FlatMapper<Object, Object> mapper) implements Step {
    @Override
    public String operator() {
      return "flat_map";
    }
  }

  /**
   * Keeps the items a predicate accepts.
   *
   * @param predicate the predicate
   */
  record Filter(ItemPredicate<Object> predicate) implements Step {
    @Override
    public String operator() {
      return "filter";
    }
  }

  /**
   * Observes items.
   *
   * @param inspector the observer
   */
  record Inspect(Inspector<Object> inspector) implements Step {
    @Override
    public String operator() {
      return "inspect";
    }
  }

  /**
   * Observes items with their epochs.
   *
   * @param inspector the observer
   */
  record InspectEpoch(EpochInspector<Object> inspector) implements Step {
    @Override
    public String operator() {
      return "inspect_epoch";
    }
  }

  /**
   * Aggregates the values of a key in epoch order until the aggregator is complete.
   *
   * @param reducer combines the aggregator with a value
   * @param isComplete decides when to emit and forget the aggregator
   */
  record Reduce(Reducer<Object> reducer, CompletionCheck<Object> isComplete) implements Step {
    @Override
    public String operator() {
      return "reduce";
    }

    @Override
    public boolean exchangesByKey() {
      return true;
    }
  }

  /**
   * Aggregates the values of a key within each epoch, across all workers.
   *
   * @param reducer combines the aggregator with a value
   */
  record ReduceEpoch(Reducer<Object> reducer) implements Step {
    @Override
    public String operator() {
      return "reduce_epoch";
    }

    @Override
    public boolean exchangesByKey() {
      return true;
    }
  }

  /**
   * Aggregates the values of a key within each epoch on each worker, without exchange.
   *
   * @param reducer combines the aggregator with a value
   */
  record ReduceEpochLocal(Reducer<Object> reducer) implements Step {
    @Override
    public String operator() {
      return "reduce_epoch_local";
    }
  }

  /**
   * Maps the values of a key with a per-key state.
   *
   * @param builder creates a key's state
   * @param mapper maps a value with the state
   */
  record StatefulMap(
      StateBuilder<Object, Object> builder, StatefulMapper<Object, Object, Object> mapper)
      implements Step {
    @Override
    public String operator() {
      return "stateful_map";
    }

    @Override
    public boolean exchangesByKey() {
      return true;
    }
  }

  /**
   * Hands every {@code (epoch, item)} passing here to the flow's output; the flow goes on.
   *
   * @param asOutput what to capture for an item, or {@code null} for the item itself; the item goes
   *     on unchanged either way
   */
  record Capture(Mapper<Object, Object> asOutput) implements Step {
    /** A capture of the items themselves. */
    public Capture() {
      this(null);
    }

    @Override
    public String operator() {
      return "capture";
    }
  }
}
