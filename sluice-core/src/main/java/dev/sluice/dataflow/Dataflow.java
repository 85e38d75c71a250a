package dev.sluice.dataflow;

import com.google.errorprone.annotations.CheckReturnValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable description of a bytewax-style dataflow: a linear list of {@link Step}s that every
 * item passes through, each item tagged with an epoch.
 *
 * <pre>{@code
 * Dataflow<String, KV<String, Long>> wordCount =
 *     Dataflow.<String>builder()
 *         .flatMap(line -> Arrays.asList(line.split(" ")))
 *         .map(word -> KV.of(word, 1L))
 *         .reduceEpoch(Long::sum)
 *         .capture()
 *         .build();
 * List<Epoched<KV<String, Long>>> counts = Execution.run(wordCount, Inputs.singleBatch(lines));
 * }</pre>
 *
 * <p>A flow describes what to do, not how: {@link Execution} runs it on local worker threads, and
 * other runners can translate the same {@link #steps()}. Keyed steps ({@code reduce}, {@code
 * reduceEpoch}, {@code reduceEpochLocal}, {@code statefulMap}) take {@link KV} items and route them
 * by a stable hash of the key, defined over String, Byte/Short/Integer/Long/BigInteger, Boolean,
 * UUID, enums (by name), and records and {@code List.of} lists built from those; any other key type
 * ends the run with an error naming the type.
 *
 * <p>Instances are immutable and may be run any number of times, from any thread, also
 * concurrently, as long as the functions in them allow it.
 *
 * @param <I> the item type of the input
 * @param <O> the item type of the captured output
 */
@CheckReturnValue
public final class Dataflow<I, O> {
  private final List<Step> steps;

  private Dataflow(List<Step> steps) {
    this.steps = steps;
  }

  /**
   * Starts describing a flow whose input items are of type {@code I}.
   *
   * @param <I> the input item type, usually given explicitly: {@code Dataflow.<String>builder()}
   */
  public static <I> Builder<I, I> builder() {
    return new Builder<>(List.of());
  }

  /** The steps, in order; an unmodifiable list with at least one {@link Step.Capture}. */
  public List<Step> steps() {
    return steps;
  }

  @Override
  public String toString() {
    StringBuilder names = new StringBuilder("Dataflow[");
    for (int i = 0; i < steps.size(); i++) {
      names.append(i == 0 ? "" : ", ").append(steps.get(i).operator());
    }
    return names.append(']').toString();
  }

  private static List<Step> append(List<Step> steps, Step step) {
    List<Step> copy = new ArrayList<>(steps.size() + 1);
    copy.addAll(steps);
    copy.add(step);
    return Collections.unmodifiableList(copy);
  }

  @SuppressWarnings("unchecked")
  private static <T> T erase(Object function, String what) {
    return (T) Objects.requireNonNull(function, what + " must not be null");
  }

  /**
   * Describes a flow that has no {@code capture} step yet.
   *
   * <p>Immutable: every method returns a new builder and leaves this one as it was, so a builder
   * can be shared or branched. {@code build()} only exists after the first {@link #capture()},
   * because a flow without a capture has no output.
   *
   * @param <I> the input item type
   * @param <T> the item type at this point of the flow
   */
  public static final class Builder<I, T> {
    private final List<Step> steps;

    private Builder(List<Step> steps) {
      this.steps = steps;
    }

    private <R> Builder<I, R> then(Step step) {
      return new Builder<>(append(steps, step));
    }

    /** Replaces each item with {@code mapper(item)}. */
    public <R> Builder<I, R> map(Mapper<? super T, ? extends R> mapper) {
      return then(new Step.Map(erase(mapper, "mapper")));
    }

    /** Replaces each item with the items of {@code mapper(item)}, in the same epoch. */
    public <R> Builder<I, R> flatMap(FlatMapper<? super T, ? extends R> mapper) {
      return then(new Step.FlatMap(erase(mapper, "mapper")));
    }

    /** Keeps only the items for which {@code predicate} returns true. */
    public Builder<I, T> filter(ItemPredicate<? super T> predicate) {
      return then(new Step.Filter(erase(predicate, "predicate")));
    }

    /** Calls {@code inspector} with each item and passes the item on unchanged. */
    public Builder<I, T> inspect(Inspector<? super T> inspector) {
      return then(new Step.Inspect(erase(inspector, "inspector")));
    }

    /** Calls {@code inspector} with each item and its epoch and passes the item on unchanged. */
    public Builder<I, T> inspectEpoch(EpochInspector<? super T> inspector) {
      return then(new Step.InspectEpoch(erase(inspector, "inspector")));
    }

    /**
     * Aggregates the values of each key in epoch order and emits {@code KV(key, aggregator)} when
     * {@code isComplete} says so, in the epoch of the value that completed it; the key's state is
     * then forgotten. Items must be {@link KV}{@code <K, V>}. The first value of a key becomes the
     * aggregator; {@code isComplete} runs after every update, the first included. Aggregators never
     * completed are dropped at the end of input, as in bytewax.
     *
     * <p>Java cannot infer {@code V} from the items, so give it with a method reference ({@code
     * Long::sum}), typed lambda parameters, or {@code .<Long>reduce(...)}.
     */
    public <V> Builder<I, T> reduce(Reducer<V> reducer, CompletionCheck<? super V> isComplete) {
      return then(new Step.Reduce(erase(reducer, "reducer"), erase(isComplete, "isComplete")));
    }

    /**
     * Aggregates the values of each key within each epoch and emits one {@code KV(key, aggregator)}
     * per key and epoch when the epoch is complete on every worker. Items are routed by key, so
     * each key has exactly one aggregator per epoch. Values reach the reducer in no defined order
     * within an epoch.
     */
    public <V> Builder<I, T> reduceEpoch(Reducer<V> reducer) {
      return then(new Step.ReduceEpoch(erase(reducer, "reducer")));
    }

    /**
     * Like {@link #reduceEpoch} but without routing by key: each worker emits its own {@code
     * KV(key, aggregator)} per key and epoch. Cheaper; a later step must combine the partial
     * aggregates if one value per key is wanted.
     */
    public <V> Builder<I, T> reduceEpochLocal(Reducer<V> reducer) {
      return then(new Step.ReduceEpochLocal(erase(reducer, "reducer")));
    }

    /**
     * Maps the value of each {@code KV(key, value)} with a per-key state and emits {@code KV(key,
     * output)}. {@code builder.build(key)} creates a key's state when it has none; {@code
     * mapper.map(state, value)} returns the new state and the output; a null new state forgets the
     * key, whose next value gets a fresh state. Values of a key arrive in epoch order.
     */
    public <K, S, V, R> Builder<I, KV<K, R>> statefulMap(
        StateBuilder<? super K, ? extends S> builder,
        StatefulMapper<S, ? super V, ? extends R> mapper) {
      return then(new Step.StatefulMap(erase(builder, "builder"), erase(mapper, "mapper")));
    }

    /**
     * Hands each {@code (epoch, item)} passing here to the output and passes the item on.
     *
     * @return a builder whose output type is the item type here
     */
    public Captured<I, T, T> capture() {
      return new Captured<>(append(steps, new Step.Capture()));
    }
  }

  /**
   * Describes a flow that has at least one {@code capture} step, and can therefore be built.
   *
   * <p>Immutable, like {@link Builder}. A further {@link #capture()} shares the same output; since
   * Java cannot name the common type of two captures, it widens the output type to {@code Object}
   * (map to a common type before capturing to keep it).
   *
   * @param <I> the input item type
   * @param <T> the item type at this point of the flow
   * @param <O> the item type of the output
   */
  public static final class Captured<I, T, O> {
    private final List<Step> steps;

    private Captured(List<Step> steps) {
      this.steps = steps;
    }

    private <R> Captured<I, R, O> then(Step step) {
      return new Captured<>(append(steps, step));
    }

    /** See {@link Builder#map}. */
    public <R> Captured<I, R, O> map(Mapper<? super T, ? extends R> mapper) {
      return then(new Step.Map(erase(mapper, "mapper")));
    }

    /** See {@link Builder#flatMap}. */
    public <R> Captured<I, R, O> flatMap(FlatMapper<? super T, ? extends R> mapper) {
      return then(new Step.FlatMap(erase(mapper, "mapper")));
    }

    /** See {@link Builder#filter}. */
    public Captured<I, T, O> filter(ItemPredicate<? super T> predicate) {
      return then(new Step.Filter(erase(predicate, "predicate")));
    }

    /** See {@link Builder#inspect}. */
    public Captured<I, T, O> inspect(Inspector<? super T> inspector) {
      return then(new Step.Inspect(erase(inspector, "inspector")));
    }

    /** See {@link Builder#inspectEpoch}. */
    public Captured<I, T, O> inspectEpoch(EpochInspector<? super T> inspector) {
      return then(new Step.InspectEpoch(erase(inspector, "inspector")));
    }

    /** See {@link Builder#reduce}. */
    public <V> Captured<I, T, O> reduce(Reducer<V> reducer, CompletionCheck<? super V> isComplete) {
      return then(new Step.Reduce(erase(reducer, "reducer"), erase(isComplete, "isComplete")));
    }

    /** See {@link Builder#reduceEpoch}. */
    public <V> Captured<I, T, O> reduceEpoch(Reducer<V> reducer) {
      return then(new Step.ReduceEpoch(erase(reducer, "reducer")));
    }

    /** See {@link Builder#reduceEpochLocal}. */
    public <V> Captured<I, T, O> reduceEpochLocal(Reducer<V> reducer) {
      return then(new Step.ReduceEpochLocal(erase(reducer, "reducer")));
    }

    /** See {@link Builder#statefulMap}. */
    public <K, S, V, R> Captured<I, KV<K, R>, O> statefulMap(
        StateBuilder<? super K, ? extends S> builder,
        StatefulMapper<S, ? super V, ? extends R> mapper) {
      return then(new Step.StatefulMap(erase(builder, "builder"), erase(mapper, "mapper")));
    }

    /** Adds another capture sharing the same output; the output type widens to {@code Object}. */
    public Captured<I, T, Object> capture() {
      return new Captured<>(append(steps, new Step.Capture()));
    }

    /** Returns the immutable flow. */
    public Dataflow<I, O> build() {
      return new Dataflow<>(steps);
    }
  }
}
