package dev.sluice.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Describes a {@link Pipeline} step by step; {@link #build()} gives the immutable pipeline.
 *
 * <p>Each step has a name (1–100 of {@code [A-Za-z0-9._-]}, unique in the pipeline) that appears in
 * errors, metrics and thread names, and a number of workers (default 1): threads that run it on
 * different batches at once; with {@link #chaining(boolean)}, adjacent single-worker steps share
 * one thread. A bad value is rejected when given; options that conflict are rejected by {@link
 * #build()} with a message naming both.
 *
 * <p>Not thread-safe; a builder may go on being used after {@code build()}, without effect on
 * pipelines already built.
 *
 * @param <I> the type of item the pipeline takes
 * @param <T> the type of item the steps so far give
 */
public final class PipelineBuilder<I, T> {
  private final List<Stage> stages = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> stepQueueSizes = new LinkedHashMap<>();
  private final Set<String> explicit = new TreeSet<>();
  private int batchSize = Settings.DEFAULT_BATCH_SIZE;
  private int queueSize = Settings.DEFAULT_QUEUE_SIZE;
  private boolean ordered = true;
  private Pipeline.LastBatch lastBatch = Pipeline.LastBatch.PROCESS;
  private Duration idleTimeout;
  private Duration maxBatchWait = Settings.DEFAULT_MAX_BATCH_WAIT;
  private Class<?> outputType;
  private boolean chaining;
  private LongSupplier clock = System::nanoTime;

  PipelineBuilder() {}

  /**
   * Adds a map step with one worker.
   *
   * @param name the step's name
   * @param step gives one output per item; may end an item early with {@link Step#stop()} or {@link
   *     Step#stopWith(Object)}
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> step(String name, Step<? super T, ? extends R> step) {
    return step(name, 1, step);
  }

  /**
   * Adds a map step run by {@code workers} threads.
   *
   * @param name the step's name
   * @param workers how many threads run it, 1 to 1024
   * @param step gives one output per item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> step(
      String name, int workers, Step<? super T, ? extends R> step) {
    return add(name, workers, Operation.map(Objects.requireNonNull(step, "step")));
  }

  /**
   * Adds a filter step with one worker; items it rejects are counted as filtered.
   *
   * @param name the step's name
   * @param filter keeps the items for which it returns {@code true}
   * @return this builder
   */
  public PipelineBuilder<I, T> filter(String name, FilterStep<? super T> filter) {
    return filter(name, 1, filter);
  }

  /**
   * Adds a filter step run by {@code workers} threads.
   *
   * @param name the step's name
   * @param workers how many threads run it, 1 to 1024
   * @param filter keeps the items for which it returns {@code true}
   * @return this builder
   */
  public PipelineBuilder<I, T> filter(String name, int workers, FilterStep<? super T> filter) {
    return add(name, workers, Operation.filter(Objects.requireNonNull(filter, "filter")));
  }

  /**
   * Adds a flat-map step with one worker: each item gives zero or more outputs, in its place.
   *
   * @param name the step's name
   * @param step gives the outputs of each item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> flatMap(String name, FlatMapStep<? super T, ? extends R> step) {
    return flatMap(name, 1, step);
  }

  /**
   * Adds a flat-map step run by {@code workers} threads.
   *
   * @param name the step's name
   * @param workers how many threads run it, 1 to 1024
   * @param step gives the outputs of each item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> flatMap(
      String name, int workers, FlatMapStep<? super T, ? extends R> step) {
    return add(name, workers, Operation.flatMap(Objects.requireNonNull(step, "step")));
  }

  /**
   * Adds a batch step with one worker: it gets a batch's items as a list and must return one output
   * per item, which the run checks.
   *
   * @param name the step's name
   * @param step processes a whole batch
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> batchStep(String name, BatchStep<? super T, ? extends R> step) {
    return batchStep(name, 1, step);
  }

  /**
   * Adds a batch step run by {@code workers} threads.
   *
   * @param name the step's name
   * @param workers how many threads run it, 1 to 1024
   * @param step processes a whole batch
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> batchStep(
      String name, int workers, BatchStep<? super T, ? extends R> step) {
    return add(name, workers, Operation.batch(Objects.requireNonNull(step, "step")));
  }

  /**
   * Adds a union: every branch gets each batch, the branches run in parallel (each with its own
   * steps and workers), and once all of them processed a batch, {@code joiner} gets each item's
   * branch outputs in declared branch order.
   *
   * <p>A branch is a pipeline built on its own. It must give exactly one output per item, so it may
   * hold map steps, batch steps and unions, but no filter or flat-map step, and {@link Step#stop()}
   * fails the run inside it. It takes its batch size, queue size and other pipeline-wide options
   * from the pipeline that holds the union, so it may set none of them; it may declare its own
   * {@link #outputType(Class)} for {@link Step#stopWith(Object)} in its steps. Its steps are named
   * {@code union/branch/step} in metrics and errors.
   *
   * @param name the union's name, unique among this pipeline's steps
   * @param branches one or more branches
   * @param joiner joins one item's branch outputs
   * @param <R> the type of the joined output
   * @return this builder, now giving {@code R}
   * @throws IllegalArgumentException if there is no branch, or a branch breaks a rule above
   */
  public <R> PipelineBuilder<I, R> union(
      String name, List<? extends Pipeline<? super T, ?>> branches, Joiner<? extends R> joiner) {
    checkNewName(name);
    Objects.requireNonNull(joiner, "joiner");
    if (branches == null || branches.isEmpty()) {
      throw new IllegalArgumentException(
          "union '" + name + "' must have at least one branch: " + branches);
    }
    List<Pipeline<?, ?>> checked = new ArrayList<>();
    for (int b = 0; b < branches.size(); b++) {
      Pipeline<?, ?> branch = Objects.requireNonNull(branches.get(b), "branch");
      checkBranch(name, b, branch);
      checked.add(branch);
    }
    stages.add(new UnionSpec(name, checked, joiner));
    names.add(name);
    return retyped();
  }

  private static void checkBranch(String union, int index, Pipeline<?, ?> branch) {
    Set<String> options = branch.settings().explicit();
    if (!options.isEmpty()) {
      throw new IllegalArgumentException(
          "union '"
              + union
              + "' branch "
              + index
              + " must not set pipeline-wide options (it takes them from the pipeline holding the"
              + " union): "
              + options);
    }
    for (Stage stage : branch.stages()) {
      if (stage instanceof StepSpec step && !step.operation().oneToOne()) {
        throw new IllegalArgumentException(
            "union '"
                + union
                + "' branch "
                + index
                + " must give one output per item, so it cannot hold a "
                + step.operation().kind()
                + " step: '"
                + step.name()
                + "'");
      }
    }
  }

  /**
   * Sets how many items every queue holds (default 1000), the sink's queue included; a step can
   * have its own with {@link #queueSize(String, int)}. A queue holds whole batches, so the size
   * must be at least the batch size. Together with the workers and batch size this bounds the items
   * in flight, whatever the length of the feed.
   *
   * @param items at least 1
   * @return this builder
   */
  public PipelineBuilder<I, T> queueSize(int items) {
    queueSize = Checks.positive("queueSize", items);
    explicit.add("queueSize");
    return this;
  }

  /**
   * Sets how many items the input queue of one step holds. A step with a queue size of its own
   * keeps its queue and its thread: it is never chained to its neighbours (see {@link
   * #chaining(boolean)}).
   *
   * @param step the name of a step of this pipeline, added before or after this call
   * @param items at least 1, and at least the batch size
   * @return this builder
   */
  public PipelineBuilder<I, T> queueSize(String step, int items) {
    Checks.positive("queueSize of step '" + step + "'", items);
    stepQueueSizes.put(Objects.requireNonNull(step, "step"), items);
    return this;
  }

  /**
   * Sets how many items travel together between steps (default 1). Larger batches cost less per
   * item; each batch is processed by one worker at a time, so a batch larger than the input over
   * the workers leaves workers idle. In stream mode a partial batch waits at most {@link
   * #maxBatchWait(Duration)} for more items.
   *
   * @param items at least 1
   * @return this builder
   */
  public PipelineBuilder<I, T> batchSize(int items) {
    batchSize = Checks.positive("batchSize", items);
    explicit.add("batchSize");
    return this;
  }

  /**
   * Sets whether outputs come out in input order (default {@code true}); {@code false} delivers
   * each batch as soon as it is done.
   *
   * @param ordered whether to keep input order
   * @return this builder
   */
  public PipelineBuilder<I, T> ordered(boolean ordered) {
    this.ordered = ordered;
    explicit.add("ordered");
    return this;
  }

  /**
   * Sets what happens to a last batch that the end of the feed left short of the batch size:
   * processed unpadded ({@link Pipeline.LastBatch#PROCESS}, the default) or dropped and counted
   * ({@link Pipeline.LastBatch#DROP}).
   *
   * @param policy the policy
   * @return this builder
   */
  public PipelineBuilder<I, T> lastBatch(Pipeline.LastBatch policy) {
    lastBatch = Objects.requireNonNull(policy, "policy");
    explicit.add("lastBatch");
    return this;
  }

  /**
   * In stream mode, ends the run when the feed has given nothing for this long (PipeFrame's dried
   * stream): the feed is closed ({@link dev.sluice.spi.Source#close()} and an interrupt of its
   * thread), the items already fed are processed and written, and the run succeeds. Off by default;
   * batch mode ignores it.
   *
   * @param timeout a positive duration
   * @return this builder
   */
  public PipelineBuilder<I, T> idleTimeout(Duration timeout) {
    idleTimeout = Checks.positive("idleTimeout", timeout);
    explicit.add("idleTimeout");
    return this;
  }

  /**
   * In stream mode, hands a partial batch on once its first item has waited this long (default 50
   * ms), so a slow feed does not hold items back until a batch fills.
   *
   * @param wait a positive duration
   * @return this builder
   */
  public PipelineBuilder<I, T> maxBatchWait(Duration wait) {
    maxBatchWait = Checks.positive("maxBatchWait", wait);
    explicit.add("maxBatchWait");
    return this;
  }

  /**
   * Declares the pipeline's output type up front, which {@link Step#stopWith(Object)} needs: a step
   * anywhere in the pipeline may then end an item with a value of this type as its output. Every
   * output is checked against it at run time ({@code null} passes); assign the built pipeline to a
   * {@code Pipeline<I, O>} variable so that the compiler checks the last step's type too.
   *
   * @param type the type every output has
   * @return this builder
   */
  public PipelineBuilder<I, T> outputType(Class<?> type) {
    outputType = Objects.requireNonNull(type, "type");
    return this;
  }

  /**
   * Sets whether adjacent steps that each have one worker and no queue size of their own are
   * chained, as Flink chains operators (default {@code false}: every step has its own thread and
   * input queue, so adjacent steps work on different batches at the same time). A chain shares one
   * input queue and one thread, and a batch passes from step to step as a plain call, with no
   * queue, hand-over or thread between them. Each step still counts its own metrics and is named in
   * its own failures; ordering, filters, flat-maps and {@link Step#stop()} behave the same, and no
   * step runs on more threads than its worker count.
   *
   * <p>Chaining saves a thread and a hand-over per step: it pays off for many cheap steps in short
   * runs (a pipeline started for every small window) or with a thread budget. It costs the overlap
   * of the steps: a chain runs its steps one after the other on one core, so a chain of {@code n}
   * costly steps can take up to {@code n} times as long when cores are free. To keep one step on a
   * thread of its own in a chained pipeline, give it more than one worker or its own queue size
   * ({@link #queueSize(String, int)}). A union always has threads of its own; steps inside its
   * branches follow the setting of the pipeline that holds the union.
   *
   * @param chaining whether to chain adjacent single-worker steps
   * @return this builder
   */
  public PipelineBuilder<I, T> chaining(boolean chaining) {
    this.chaining = chaining;
    explicit.add("chaining");
    return this;
  }

  /** Replaces the clock of the idle timeout and batch waits; for tests. */
  PipelineBuilder<I, T> clock(LongSupplier nanoClock) {
    clock = Objects.requireNonNull(nanoClock, "clock");
    return this;
  }

  /**
   * Builds the immutable pipeline.
   *
   * @return the pipeline
   * @throws IllegalArgumentException if a queue size is below the batch size, or a step queue size
   *     names no step of this pipeline
   */
  public Pipeline<I, T> build() {
    checkQueueSize("queueSize", queueSize);
    List<Stage> built = new ArrayList<>(stages);
    for (Map.Entry<String, Integer> entry : stepQueueSizes.entrySet()) {
      int at = indexOfStep(built, entry.getKey());
      checkQueueSize("queueSize of step '" + entry.getKey() + "'", entry.getValue());
      built.set(at, ((StepSpec) built.get(at)).withQueueSize(entry.getValue()));
    }
    Settings settings =
        new Settings(
            batchSize,
            queueSize,
            ordered,
            lastBatch,
            idleTimeout,
            maxBatchWait,
            outputType,
            chaining,
            explicit,
            clock);
    return new Pipeline<>(built, settings);
  }

  private void checkQueueSize(String what, int items) {
    if (items < batchSize) {
      throw new IllegalArgumentException(
          what
              + " ("
              + items
              + ") must be at least batchSize ("
              + batchSize
              + "): a queue holds whole batches");
    }
  }

  private static int indexOfStep(List<Stage> stages, String name) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i) instanceof StepSpec && stages.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "queueSize(step, items) must name a step of this pipeline: '" + name + "'");
  }

  private <R> PipelineBuilder<I, R> add(String name, int workers, Operation operation) {
    checkNewName(name);
    Checks.workers(name, workers);
    stages.add(new StepSpec(name, workers, 0, operation));
    names.add(name);
    return retyped();
  }

  private void checkNewName(String name) {
    Checks.name("step", name);
    if (names.contains(name)) {
      throw new IllegalArgumentException("step names must be unique in a pipeline: '" + name + "'");
    }
  }

  @SuppressWarnings("unchecked")
  private <R> PipelineBuilder<I, R> retyped() {
    return (PipelineBuilder<I, R>) this;
  }
}
