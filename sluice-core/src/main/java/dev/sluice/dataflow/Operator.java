package dev.sluice.dataflow;

/**
 * One step of a flow with its item types: it takes items of type {@code T} and gives items of type
 * {@code R}. {@link Dataflow.Builder#then} adds it only where the items are of type {@code T}, so
 * the compiler checks what the untyped builder methods check at run time. Made by {@link
 * Operators}; immutable.
 *
 * @param <T> the item type it takes
 * @param <R> the item type it gives
 */
public final class Operator<T, R> {
  private final Step step;

  Operator(Step step) {
    this.step = step;
  }

  /** The step it adds. */
  public Step step() {
    return step;
  }

  @Override
  public String toString() {
    return "Operator[" + step.operator() + "]";
  }
}
