package dev.sluice.dataflow;

/**
 * Creates the initial state of a key for {@link Dataflow.Builder#statefulMap}.
 *
 * <p>Called for a key's first value, and again after a {@link StatefulMapper} forgot the key's
 * state by returning a null state. Called by the worker thread that owns the key. Any exception
 * ends the run and is rethrown to the caller as itself.
 *
 * @param <K> the key type
 * @param <S> the state type
 */
@FunctionalInterface
public interface StateBuilder<K, S> {
  /** Returns a fresh state for {@code key}. */
  S build(K key) throws Exception;
}
