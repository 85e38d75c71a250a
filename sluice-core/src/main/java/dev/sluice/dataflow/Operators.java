package dev.sluice.dataflow;

import java.util.Objects;

/**
 * Keyed operators typed to {@link KV} items at compile time, for {@link Dataflow.Builder#then}:
 *
 * <pre>{@code
 * Dataflow.<String>builder()
 *     .map(word -> KV.of(word, 1L))
 *     .then(Operators.reduceEpoch(Long::sum))   // compiles only where items are KV<K, Long>
 *     .capture()
 *     .build();
 * }</pre>
 *
 * <p>Each does exactly what the builder method of the same name does ({@link
 * Dataflow.Builder#reduceEpoch} and so on); the difference is only that the compiler knows the key
 * and value types: a flow whose items are not {@code KV}s, or whose values do not fit the reducer,
 * does not compile, and no type witness is needed for lambdas.
 */
public final class Operators {
  private Operators() {}

  /** {@link Dataflow.Builder#reduce}, typed. */
  @SuppressWarnings("unchecked")
  public static <K, V> Operator<KV<K, V>, KV<K, V>> reduce(
      Reducer<V> reducer, CompletionCheck<? super V> isComplete) {
    return new Operator<>(
        new Step.Reduce(
            (Reducer<Object>) Objects.requireNonNull(reducer, "reducer must not be null"),
            (CompletionCheck<Object>)
                Objects.requireNonNull(isComplete, "isComplete must not be null")));
  }

  /** {@link Dataflow.Builder#reduceEpoch}, typed. */
  @SuppressWarnings("unchecked")
  public static <K, V> Operator<KV<K, V>, KV<K, V>> reduceEpoch(Reducer<V> reducer) {
    return new Operator<>(
        new Step.ReduceEpoch(
            (Reducer<Object>) Objects.requireNonNull(reducer, "reducer must not be null")));
  }

  /** {@link Dataflow.Builder#reduceEpochLocal}, typed. */
  @SuppressWarnings("unchecked")
  public static <K, V> Operator<KV<K, V>, KV<K, V>> reduceEpochLocal(Reducer<V> reducer) {
    return new Operator<>(
        new Step.ReduceEpochLocal(
            (Reducer<Object>) Objects.requireNonNull(reducer, "reducer must not be null")));
  }

  /** {@link Dataflow.Builder#statefulMap}, typed. */
  @SuppressWarnings("unchecked")
  public static <K, S, V, R> Operator<KV<K, V>, KV<K, R>> statefulMap(
      StateBuilder<? super K, ? extends S> builder,
      StatefulMapper<S, ? super V, ? extends R> mapper) {
    return new Operator<>(
        new Step.StatefulMap(
            (StateBuilder<Object, Object>)
                Objects.requireNonNull(builder, "builder must not be null"),
            (StatefulMapper<Object, Object, Object>)
                Objects.requireNonNull(mapper, "mapper must not be null")));
  }
}
