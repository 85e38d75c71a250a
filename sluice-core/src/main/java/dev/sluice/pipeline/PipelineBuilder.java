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
  private final Map<String, QueueSize> stepQueues = new LinkedHashMap<>();
  private final Map<String, String> stepQueueConflicts = new LinkedHashMap<>();
  private final Set<String> explicit = new TreeSet<>();
  private int batchSize = Settings.DEFAULT_BATCH_SIZE;
  private int queueItems;
  private int queueBatches;
  private int workers;
  private boolean ordered = true;
  private Pipeline.LastBatch lastBatch;
  private boolean padded;
  private Object padding;
  private Duration idleTimeout;
  private Duration maxBatchWait = Settings.DEFAULT_MAX_BATCH_WAIT;
  private Class<?> outputType;
  private boolean chaining;
  private LongSupplier clock = System::nanoTime;

  PipelineBuilder() {}

  /**
   * Adds a map step named {@code map-<index>} (its position in this pipeline, from 0), run by the
   * pipeline's default number of workers ({@link #workers(int)}).
   *
   * @param step gives one output per item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> step(Step<? super T, ? extends R> step) {
    return step(defaultName("map"), step);
  }

  /**
   * Adds a map step run by the pipeline's default number of workers ({@link #workers(int)}, 1
   * unless set).
   *
   * @param name the step's name
   * @param step gives one output per item; may end an item early with {@link Step#stop()} or {@link
   *     Step#stopWith(Object)}
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> step(String name, Step<? super T, ? extends R> step) {
    return addWithDefaultWorkers(name, Operation.map(Objects.requireNonNull(step, "step")));
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
   * Adds a filter step named {@code filter-<index>}, run by the pipeline's default number of
   * workers.
   *
   * @param filter keeps the items for which it returns {@code true}
   * @return this builder
   */
  public PipelineBuilder<I, T> filter(FilterStep<? super T> filter) {
    return filter(defaultName("filter"), filter);
  }

  /**
   * Adds a filter step run by the pipeline's default number of workers; items it rejects are
   * counted as filtered.
   *
   * @param name the step's name
   * @param filter keeps the items for which it returns {@code true}
   * @return this builder
   */
  public PipelineBuilder<I, T> filter(String name, FilterStep<? super T> filter) {
    return addWithDefaultWorkers(name, Operation.filter(Objects.requireNonNull(filter, "filter")));
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
   * Adds a flat-map step named {@code flat-map-<index>}, run by the pipeline's default number of
   * workers.
   *
   * @param step gives the outputs of each item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> flatMap(FlatMapStep<? super T, ? extends R> step) {
    return flatMap(defaultName("flat-map"), step);
  }

  /**
   * Adds a flat-map step run by the pipeline's default number of workers: each item gives zero or
   * more outputs, in its place.
   *
   * @param name the step's name
   * @param step gives the outputs of each item
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> flatMap(String name, FlatMapStep<? super T, ? extends R> step) {
    return addWithDefaultWorkers(name, Operation.flatMap(Objects.requireNonNull(step, "step")));
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
   * Adds a batch step named {@code batch-<index>}, run by the pipeline's default number of workers.
   *
   * @param step processes a whole batch
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> batchStep(BatchStep<? super T, ? extends R> step) {
    return batchStep(defaultName("batch"), step);
  }

  /**
   * Adds a batch step run by the pipeline's default number of workers: it gets a batch's items as a
   * list and must return one output per item, which the run checks.
   *
   * @param name the step's name
   * @param step processes a whole batch
   * @param <R> the type of output it gives
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> batchStep(String name, BatchStep<? super T, ? extends R> step) {
    return addWithDefaultWorkers(name, Operation.batch(Objects.requireNonNull(step, "step")));
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
   * Adds another pipeline as one step of this one (Neuraxle nests pipelines freely): each item
   * passes through the nested pipeline's steps, in place, and its outputs go on to this pipeline's
   * next step.
   *
   * <p>The nested pipeline keeps its steps — any kind: map, filter, flat-map, batch, unions,
   * pipelines — with their workers and own queue sizes, its pipeline-wide {@link #queueSize(int)}
   * or {@link #queueBatches(int)} (for its own steps' queues), and its {@link #outputType(Class)}
   * (a {@link Step#stopWith(Object)} inside it gives the nested pipeline's output for the item, and
   * the item goes on through this pipeline). Options of the run's feed and collector — batch size,
   * {@code ordered}, last batch, idle timeout, batch wait, chaining — belong to the pipeline that
   * is run: a nested pipeline may leave them unset, or set them to the same values, and {@link
   * #build()} rejects one that sets a different value, naming both. Its steps are named {@code
   * name/step} in metrics and errors.
   *
   * @param name the nested step's name, unique among this pipeline's steps
   * @param pipeline the pipeline to run as a step
   * @param <R> the nested pipeline's output type
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> pipeline(
      String name, Pipeline<? super T, ? extends R> pipeline) {
    checkNewName(name);
    Objects.requireNonNull(pipeline, "pipeline");
    stages.add(new NestedSpec(name, pipeline));
    names.add(name);
    return retyped();
  }

  /**
   * Adds another pipeline as a step named {@code pipeline-<index>}; see {@link #pipeline(String,
   * Pipeline)}.
   *
   * @param pipeline the pipeline to run as a step
   * @param <R> the nested pipeline's output type
   * @return this builder, now giving {@code R}
   */
  public <R> PipelineBuilder<I, R> pipeline(Pipeline<? super T, ? extends R> pipeline) {
    return pipeline(defaultName("pipeline"), pipeline);
  }

  /**
   * Adds a union: every branch gets each batch, the branches run in parallel (each with its own
   * steps and workers), and once all of them processed a batch, {@code joiner} gets each item's
   * branch outputs in declared branch order. For typed outputs per branch, see {@link
   * #union(String, Pipeline, Pipeline, PairJoiner)}.
   *
   * <p>A branch is a pipeline built on its own. It must give exactly one output per item, so it may
   * hold map steps, batch steps, unions and nested pipelines of those, but no filter or flat-map
   * step, and {@link Step#stop()} fails the run inside it. It takes its batch size, queue size and
   * other pipeline-wide options from the pipeline that holds the union, so it may set none of them
   * (its default worker count, {@link #workers(int)}, is its own); it may declare its own {@link
   * #outputType(Class)} for {@link Step#stopWith(Object)} in its steps. A queue size a branch gives
   * one of its steps in items must hold a whole batch of the holding pipeline, which {@link
   * #build()} checks. Its steps are named {@code union/branch/step} in metrics and errors.
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

  /**
   * Adds a union of two branches whose outputs the joiner gets typed, one argument per branch (a
   * stacked joiner): {@code union("features", length, upper, Features::new)} with {@code record
   * Features(Integer length, String upper)}. Otherwise as {@link #union(String, List, Joiner)}.
   *
   * @param name the union's name
   * @param first the first branch
   * @param second the second branch
   * @param joiner joins one item's two outputs
   * @param <A> the first branch's output type
   * @param <B> the second branch's output type
   * @param <R> the type of the joined output
   * @return this builder, now giving {@code R}
   */
  @SuppressWarnings("unchecked")
  public <A, B, R> PipelineBuilder<I, R> union(
      String name,
      Pipeline<? super T, ? extends A> first,
      Pipeline<? super T, ? extends B> second,
      PairJoiner<? super A, ? super B, ? extends R> joiner) {
    Objects.requireNonNull(joiner, "joiner");
    return union(
        name,
        List.of(first, second),
        outputs -> joiner.join((A) outputs.get(0), (B) outputs.get(1)));
  }

  /**
   * Adds a union of three branches whose outputs the joiner gets typed, one argument per branch.
   * Otherwise as {@link #union(String, List, Joiner)}.
   *
   * @param name the union's name
   * @param first the first branch
   * @param second the second branch
   * @param third the third branch
   * @param joiner joins one item's three outputs
   * @param <A> the first branch's output type
   * @param <B> the second branch's output type
   * @param <C> the third branch's output type
   * @param <R> the type of the joined output
   * @return this builder, now giving {@code R}
   */
  @SuppressWarnings("unchecked")
  public <A, B, C, R> PipelineBuilder<I, R> union(
      String name,
      Pipeline<? super T, ? extends A> first,
      Pipeline<? super T, ? extends B> second,
      Pipeline<? super T, ? extends C> third,
      TripleJoiner<? super A, ? super B, ? super C, ? extends R> joiner) {
    Objects.requireNonNull(joiner, "joiner");
    return union(
        name,
        List.of(first, second, third),
        outputs -> joiner.join((A) outputs.get(0), (B) outputs.get(1), (C) outputs.get(2)));
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
    checkOneToOne(union, index, branch.stages());
  }

  private static void checkOneToOne(String union, int index, List<Stage> stages) {
    for (Stage stage : stages) {
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
      if (stage instanceof NestedSpec nested) {
        checkOneToOne(union, index, nested.pipeline().stages());
      }
    }
  }

  /**
   * Sets the number of workers of every step added without a worker count of its own, before or
   * after this call (Neuraxle's {@code n_workers_per_step}); default 1. A count given to a step
   * overrides it. A union's branches and nested pipelines keep their own default.
   *
   * @param workers 1 to 1024
   * @return this builder
   */
  public PipelineBuilder<I, T> workers(int workers) {
    this.workers = Checks.workers("every step", workers);
    return this;
  }

  /**
   * Sets how many items every queue holds (default 1000), the sink's queue included; a step can
   * have its own with {@link #queueSize(String, int)}. A queue holds whole batches, so the size
   * must be at least the batch size; {@link #queueBatches(int)} gives the size in batches instead.
   * Together with the workers and batch size this bounds the items in flight, whatever the length
   * of the feed.
   *
   * @param items at least 1
   * @return this builder
   */
  public PipelineBuilder<I, T> queueSize(int items) {
    queueItems = Checks.positive("queueSize", items);
    explicit.add("queueSize");
    return this;
  }

  /**
   * Sets how many batches every queue holds, the sink's queue included: Neuraxle's {@code
   * max_queued_minibatches}, without arithmetic. Instead of {@link #queueSize(int)}, not with it.
   *
   * @param batches at least 1
   * @return this builder
   */
  public PipelineBuilder<I, T> queueBatches(int batches) {
    queueBatches = Checks.positive("queueBatches", batches);
    explicit.add("queueBatches");
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
    putStepQueue(step, QueueSize.ofItems(items), "queueSize");
    return this;
  }

  /**
   * Sets how many batches the input queue of one step holds; instead of {@link #queueSize(String,
   * int)} for that step, not with it. Otherwise the same.
   *
   * @param step the name of a step of this pipeline, added before or after this call
   * @param batches at least 1
   * @return this builder
   */
  public PipelineBuilder<I, T> queueBatches(String step, int batches) {
    Checks.positive("queueBatches of step '" + step + "'", batches);
    putStepQueue(step, QueueSize.ofBatches(batches), "queueBatches");
    return this;
  }

  private void putStepQueue(String step, QueueSize size, String option) {
    QueueSize before = stepQueues.put(Objects.requireNonNull(step, "step"), size);
    if (before != null && (before.items() > 0) != (size.items() > 0)) {
      stepQueueConflicts.put(step, option);
    }
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
   * processed unpadded ({@link Pipeline.LastBatch#PROCESS}, the default), dropped and counted
   * ({@link Pipeline.LastBatch#DROP}), or filled up with {@code null}s ({@link
   * Pipeline.LastBatch#PAD}; {@link #padWith(Object)} gives another value).
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
   * Fills a last batch that the end of the feed left short of the batch size up to the batch size
   * with {@code value} (Neuraxle's {@code default_value_data_inputs}); the same as {@link
   * #lastBatch(Pipeline.LastBatch) lastBatch(PAD)} with this value. Padding items go through the
   * steps like any item and their outputs are delivered after the last real item's; {@link
   * PipelineMetrics#itemsPadded()} counts them.
   *
   * @param value the padding item; may be {@code null}
   * @return this builder
   */
  public PipelineBuilder<I, T> padWith(I value) {
    padded = true;
    padding = value;
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
   * @throws IllegalArgumentException if a queue size in items is below the batch size (also one
   *     that a union's branch or a nested pipeline gives its steps), a queue size is given both in
   *     items and in batches, a step queue size names no step of this pipeline, a nested pipeline
   *     sets a feed option to another value than this one, or {@link #padWith(Object)} conflicts
   *     with {@link #lastBatch(Pipeline.LastBatch)}
   */
  public Pipeline<I, T> build() {
    if (queueItems > 0 && queueBatches > 0) {
      throw new IllegalArgumentException(
          "queueSize("
              + queueItems
              + ") and queueBatches("
              + queueBatches
              + ") conflict: give one");
    }
    for (Map.Entry<String, String> conflict : stepQueueConflicts.entrySet()) {
      throw new IllegalArgumentException(
          "queueSize and queueBatches of step '" + conflict.getKey() + "' conflict: give one");
    }
    if (padded && lastBatch != null && lastBatch != Pipeline.LastBatch.PAD) {
      throw new IllegalArgumentException(
          "padWith(value) and lastBatch(" + lastBatch + ") conflict: give one");
    }
    QueueSize queue =
        queueBatches > 0
            ? QueueSize.ofBatches(queueBatches)
            : QueueSize.ofItems(queueItems > 0 ? queueItems : Settings.DEFAULT_QUEUE_SIZE);
    int defaultWorkers = workers > 0 ? workers : Settings.DEFAULT_WORKERS;
    List<Stage> built = new ArrayList<>(stages.size());
    for (Stage stage : stages) {
      built.add(
          stage instanceof StepSpec step && step.workers() == DEFAULT_WORKERS
              ? step.withWorkers(defaultWorkers)
              : stage);
    }
    for (Map.Entry<String, QueueSize> entry : stepQueues.entrySet()) {
      int at = indexOfStep(built, entry.getKey(), entry.getValue());
      built.set(at, ((StepSpec) built.get(at)).withQueue(entry.getValue()));
    }
    Settings settings =
        new Settings(
            batchSize,
            queue,
            ordered,
            padded
                ? Pipeline.LastBatch.PAD
                : lastBatch == null ? Pipeline.LastBatch.PROCESS : lastBatch,
            padding,
            idleTimeout,
            maxBatchWait,
            outputType,
            chaining,
            explicit,
            clock);
    Checks.queue("queueSize", queue, batchSize);
    Checks.stages(built, "", settings);
    return new Pipeline<>(built, settings);
  }

  private static int indexOfStep(List<Stage> stages, String name, QueueSize size) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i) instanceof StepSpec && stages.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        (size.items() > 0 ? "queueSize(step, items)" : "queueBatches(step, batches)")
            + " must name a step of this pipeline: '"
            + name
            + "'");
  }

  /** Marks a step that takes the pipeline's default worker count, resolved by {@link #build()}. */
  private static final int DEFAULT_WORKERS = 0;

  private <R> PipelineBuilder<I, R> add(String name, int workers, Operation operation) {
    checkNewName(name);
    Checks.workers(name, workers);
    stages.add(new StepSpec(name, workers, QueueSize.UNSET, operation));
    names.add(name);
    return retyped();
  }

  private <R> PipelineBuilder<I, R> addWithDefaultWorkers(String name, Operation operation) {
    checkNewName(name);
    stages.add(new StepSpec(name, DEFAULT_WORKERS, QueueSize.UNSET, operation));
    names.add(name);
    return retyped();
  }

  /** {@code kind-index}: the step's kind and its position in this pipeline, from 0. */
  private String defaultName(String kind) {
    return kind + "-" + stages.size();
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
