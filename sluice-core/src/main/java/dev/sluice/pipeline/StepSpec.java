package dev.sluice.pipeline;

/**
 * The description of one step.
 *
 * @param queueSize the items its input queue holds; 0 for the pipeline's queue size
 */
record StepSpec(String name, int workers, int queueSize, Operation operation) implements Stage {
  StepSpec withQueueSize(int items) {
    return new StepSpec(name, workers, items, operation);
  }
}
