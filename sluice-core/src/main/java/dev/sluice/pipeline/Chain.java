package dev.sluice.pipeline;

/**
 * One linear chain of steps at run time: the pipeline itself, or one branch of a union. Items that
 * {@link Step#stopWith(Object)} ended belong to the chain whose step ended them. (Steps that share
 * a thread under {@link PipelineBuilder#chaining(boolean)} are a {@link StageRuntime}, not this.)
 */
final class Chain {
  final Class<?> outputType;
  final boolean branch;

  Chain(Class<?> outputType, boolean branch) {
    this.outputType = outputType;
    this.branch = branch;
  }

  /** Replaces this chain's {@link Finished} items by their values; checks the output type. */
  Object[] unwrap(Batch batch, String where) {
    Object[] items = batch.items;
    if (!batch.hasFinished && outputType == null) {
      return items;
    }
    Object[] values = batch.hasFinished ? items.clone() : items;
    for (int i = 0; i < batch.size; i++) {
      Object value = values[i];
      if (value instanceof Finished finished && finished.owner == this) {
        values[i] = finished.value;
      } else if (outputType != null && value != null && !(value instanceof Finished)) {
        checkType(value, where);
      }
    }
    return values;
  }

  void checkType(Object value, String where) {
    if (!outputType.isInstance(value)) {
      throw new IllegalStateException(
          where
              + " must be an instance of the declared output type "
              + outputType.getName()
              + ": "
              + Checks.describe(value));
    }
  }
}
