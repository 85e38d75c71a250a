package dev.sluice.dataflow;

/**
 * Maps one value of a key with that key's state: the mapper of {@link
 * Dataflow.Builder#statefulMap}.
 *
 * <p>Values of a key reach it in epoch order (no order is defined within an epoch). It returns the
 * key's new state and the output; a null state forgets the key. It must not return null. Called by
 * the worker thread that owns the key. Any exception ends the run and is rethrown to the caller as
 * itself.
 *
 * @param <S> the state type
 * @param <V> the value type
 * @param <R> the output type
 */
@FunctionalInterface
public interface StatefulMapper<S, V, R> {
  /** Returns the new state and the value to emit for {@code value}. */
  StateUpdate<S, R> map(S state, V value) throws Exception;
}
