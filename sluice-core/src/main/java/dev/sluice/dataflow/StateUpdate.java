package dev.sluice.dataflow;

/**
 * What a {@link StatefulMapper} returns: the key's new state and the value to emit.
 *
 * <p>A null {@code state} forgets the key's state; the next value for that key gets a fresh state
 * from the {@link StateBuilder}. The output may be null.
 *
 * @param state the new state for the key, or null to forget it
 * @param output the value emitted downstream as {@code KV(key, output)}
 * @param <S> the state type
 * @param <R> the output type
 */
public record StateUpdate<S, R>(S state, R output) {

  /** Creates an update; a shorthand for the constructor. */
  public static <S, R> StateUpdate<S, R> of(S state, R output) {
    return new StateUpdate<>(state, output);
  }
}
