package dev.sluice.pipeline;

/**
 * The description of one step.
 *
 * @param workers its worker threads; 0 until {@link PipelineBuilder#build()} gives the pipeline's
 *     default
 * @param queue its own input queue size, or {@link QueueSize#UNSET} for the pipeline's
 */
record StepSpec(String name, int workers, QueueSize queue, Operation operation) implements Stage {
  StepSpec withQueue(QueueSize size) {
    return new StepSpec(name, workers, size, operation);
  }

  StepSpec withWorkers(int count) {
    return new StepSpec(name, count, queue, operation);
  }
}
