package dev.sluice.pipeline;

import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable description of a staged, parallel, in-memory pipeline: named steps, each run by its
 * own pool of workers, with bounded queues between them.
 *
 * <pre>{@code
 * Pipeline<String, Integer> p = Pipeline.<String>builder()
 *     .step("trim", String::trim)
 *     .step("parse", 4, Integer::parseInt)          // 4 workers
 *     .queueSize(10_000).batchSize(100).ordered(true)
 *     .build();
 * List<Integer> out = p.transform(lines);             // batch mode
 * p.stream(feed, sink);                               // stream mode
 * }</pre>
 *
 * <p>Items travel in batches numbered in feed order. With {@code ordered(true)} (the default)
 * outputs come out in input order whatever the worker counts and step times; items a step expands
 * or drops keep or leave their place. A pipeline is reusable and thread-safe: every call to {@link
 * #transform}, {@link #stream} or {@link #start} is a run of its own, with its own threads ({@code
 * sluice-pipeline-<step>-<n>}, or {@code sluice-pipeline-<step>+<step>+...-1} for steps chained on
 * one thread; daemon) and queues, none of which outlive it.
 *
 * <p>Errors: the first failure anywhere (a step, the feed, the sink, a union's joiner), a Java
 * {@link Error} included, cancels the run; the caller gets a {@link PipelineException} naming the
 * step and the batch, with the failure as its cause. Interrupting the calling thread cancels the
 * run the same way.
 *
 * @param <I> the type of item it takes
 * @param <O> the type of output it gives
 */
public final class Pipeline<I, O> {
  /** What to do with a last batch that the feed's end left short of the batch size. */
  public enum LastBatch {
    /** Process it as it is, without padding (the default). */
    PROCESS,
    /** Drop its items; they are counted in {@link PipelineMetrics#itemsDropped()}. */
    DROP,
    /**
     * Fill it up to the batch size with a padding value ({@code null} unless {@link
     * PipelineBuilder#padWith(Object)} gives one); padding items are processed and delivered like
     * any item, after the real ones, and counted in {@link PipelineMetrics#itemsPadded()}.
     */
    PAD
  }

  private final List<Stage> stages;
  private final Settings settings;

  Pipeline(List<Stage> stages, Settings settings) {
    this.stages = List.copyOf(stages);
    this.settings = settings;
  }

  /**
   * Starts describing a pipeline that takes items of type {@code I}.
   *
   * @param <I> the type of item the pipeline takes
   * @return a new builder; not thread-safe
   */
  public static <I> PipelineBuilder<I, I> builder() {
    return new PipelineBuilder<>();
  }

  /**
   * A pipeline that runs every branch on each batch in parallel and joins the branches' outputs per
   * item, in declared branch order (Neuraxle's feature union). The same as {@code
   * Pipeline.<I>builder().union("union", branches, joiner).build()}; use the builder to set batch
   * and queue sizes or to add steps after the union.
   *
   * @param branches the branches; see {@link PipelineBuilder#union} for what a branch may hold
   * @param joiner joins one item's branch outputs
   * @param <I> the type of item the union takes
   * @param <O> the type of the joined output
   * @return the union as a pipeline
   * @throws IllegalArgumentException if a branch breaks a rule of {@link PipelineBuilder#union}
   */
  public static <I, O> Pipeline<I, O> union(
      List<? extends Pipeline<? super I, ?>> branches, Joiner<? extends O> joiner) {
    return Pipeline.<I>builder().<O>union("union", branches, joiner).build();
  }

  /**
   * A union of two branches whose typed outputs {@code joiner} joins per item (a stacked joiner; a
   * record's constructor is one). The same as {@code Pipeline.<I>builder().union("union", first,
   * second, joiner).build()}.
   *
   * @param first the first branch
   * @param second the second branch
   * @param joiner joins one item's two outputs
   * @param <I> the type of item the union takes
   * @param <A> the first branch's output type
   * @param <B> the second branch's output type
   * @param <O> the type of the joined output
   * @return the union as a pipeline
   * @throws IllegalArgumentException if a branch breaks a rule of {@link PipelineBuilder#union}
   */
  public static <I, A, B, O> Pipeline<I, O> union(
      Pipeline<? super I, ? extends A> first,
      Pipeline<? super I, ? extends B> second,
      PairJoiner<? super A, ? super B, ? extends O> joiner) {
    return Pipeline.<I>builder().<A, B, O>union("union", first, second, joiner).build();
  }

  /**
   * A union of three branches whose typed outputs {@code joiner} joins per item. The same as {@code
   * Pipeline.<I>builder().union("union", first, second, third, joiner).build()}.
   *
   * @param first the first branch
   * @param second the second branch
   * @param third the third branch
   * @param joiner joins one item's three outputs
   * @param <I> the type of item the union takes
   * @param <A> the first branch's output type
   * @param <B> the second branch's output type
   * @param <C> the third branch's output type
   * @param <O> the type of the joined output
   * @return the union as a pipeline
   * @throws IllegalArgumentException if a branch breaks a rule of {@link PipelineBuilder#union}
   */
  public static <I, A, B, C, O> Pipeline<I, O> union(
      Pipeline<? super I, ? extends A> first,
      Pipeline<? super I, ? extends B> second,
      Pipeline<? super I, ? extends C> third,
      TripleJoiner<? super A, ? super B, ? super C, ? extends O> joiner) {
    return Pipeline.<I>builder().<A, B, C, O>union("union", first, second, third, joiner).build();
  }

  /**
   * Runs the pipeline over a finite collection (batch mode) and returns the outputs; in input order
   * when {@code ordered(true)}. Blocks until every item is processed; reads the collection on a
   * thread of the run while the calling thread collects.
   *
   * @param items the items; not modified, and must not be modified during the call
   * @return a new mutable list of the outputs
   * @throws PipelineException if a step, the feed or the final count check failed, or the calling
   *     thread was interrupted (its interrupt status is then set again)
   */
  @SuppressWarnings("unchecked")
  public List<O> transform(Collection<? extends I> items) {
    Objects.requireNonNull(items, "items");
    List<Object> outputs = new ArrayList<>(items.size());
    if (!items.isEmpty()) {
      Run run = new Run(this, false, null);
      run.start(feeder -> feeder.feed(items));
      run.collect(
          (delivered, size) -> outputs.addAll(new Handover(delivered, size)),
          "collecting the outputs");
    }
    return (List<O>) outputs;
  }

  /**
   * Runs the pipeline over a feed (stream mode), writing outputs to {@code sink} on the calling
   * thread while the feed is read on a thread of the run. Returns when the feed has ended (or the
   * idle timeout closed it) and every output has been written. Every queue is bounded, the one in
   * front of the sink included, so memory stays bounded however long the feed.
   *
   * <p>The feed's {@code hasNext}/{@code next} may block; they should respond to interruption so
   * that a failure, an interrupt or the idle timeout can stop them. The caller keeps ownership of
   * the sink: it is not closed.
   *
   * @param feed the items
   * @param sink receives outputs in batches through {@link Sink#writeAll}, from one thread
   * @throws PipelineException if a step, the feed, the sink or the final count check failed, or the
   *     calling thread was interrupted (its interrupt status is then set again)
   */
  public void stream(Iterator<? extends I> feed, Sink<? super O> sink) {
    Objects.requireNonNull(feed, "feed");
    Run run = new Run(this, true, null);
    run.start(feeder -> feeder.feed(feed));
    run.collect(delivery(sink), "the sink");
  }

  /**
   * Runs the pipeline over a source (stream mode); as {@link #stream(Iterator, Sink)}. A producer
   * callback is a source too: {@code p.stream(emitter -> { ... emitter.emit(x); ... }, sink)}.
   *
   * <p>The source runs on a thread of the run; its {@link Source.Emitter#emit} blocks while the
   * first queue is full. The pipeline calls {@link Source#close()} only to stop it early (a
   * failure, {@link PipelineRun#close()}, an interrupt, the idle timeout); otherwise the caller
   * keeps ownership of the source and the sink.
   *
   * @param feed the source of items
   * @param sink receives outputs in batches through {@link Sink#writeAll}, from one thread
   * @throws PipelineException as {@link #stream(Iterator, Sink)}
   */
  public void stream(Source<? extends I> feed, Sink<? super O> sink) {
    Objects.requireNonNull(feed, "feed");
    Run run = new Run(this, true, feed);
    run.start(feeder -> feeder.feed(feed));
    run.collect(delivery(sink), "the sink");
  }

  /**
   * Starts {@link #stream(Iterator, Sink)} in the background and returns its handle at once; the
   * handle's collector thread writes to the sink.
   *
   * @param feed the items
   * @param sink receives outputs, from one thread
   * @return the running run
   */
  public PipelineRun start(Iterator<? extends I> feed, Sink<? super O> sink) {
    Objects.requireNonNull(feed, "feed");
    Run run = new Run(this, true, null);
    RunHandle handle = new RunHandle(run, delivery(sink));
    run.start(feeder -> feeder.feed(feed));
    handle.start();
    return handle;
  }

  /**
   * Starts {@link #stream(Source, Sink)} in the background and returns its handle at once.
   *
   * @param feed the source of items
   * @param sink receives outputs, from one thread
   * @return the running run
   */
  public PipelineRun start(Source<? extends I> feed, Sink<? super O> sink) {
    Objects.requireNonNull(feed, "feed");
    Run run = new Run(this, true, feed);
    RunHandle handle = new RunHandle(run, delivery(sink));
    run.start(feeder -> feeder.feed(feed));
    handle.start();
    return handle;
  }

  /**
   * A delivered batch on its way into transform's result list. The run never touches the array
   * again, so {@link #toArray()} gives it away instead of copying it: {@code ArrayList.addAll}
   * copies from it in one go.
   */
  private static final class Handover extends AbstractCollection<Object> {
    private final Object[] items;
    private final int size;

    Handover(Object[] items, int size) {
      this.items = items;
      this.size = size;
    }

    @Override
    public Object[] toArray() {
      return size == items.length ? items : Arrays.copyOf(items, size);
    }

    @Override
    public Iterator<Object> iterator() {
      return new Slice(items, size).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }

  @SuppressWarnings("unchecked")
  private static Run.Delivery delivery(Sink<?> sink) {
    Sink<Object> target = (Sink<Object>) Objects.requireNonNull(sink, "sink");
    return (outputs, size) -> target.writeAll(new Slice(outputs, size));
  }

  List<Stage> stages() {
    return stages;
  }

  Settings settings() {
    return settings;
  }

  /** Lists the steps with their workers, and the batch and queue sizes. */
  @Override
  public String toString() {
    String described = stages.stream().map(Pipeline::describe).collect(Collectors.joining(" -> "));
    return "Pipeline["
        + described
        + ", batchSize="
        + settings.batchSize()
        + (settings.queue().batches() > 0 ? ", queueBatches=" : ", queueSize=")
        + (settings.queue().batches() > 0 ? settings.queue().batches() : settings.queue().items())
        + ", ordered="
        + settings.ordered()
        + "]";
  }

  private static String describe(Stage stage) {
    if (stage instanceof StepSpec step) {
      return step.name() + "(" + step.operation().kind() + " x" + step.workers() + ")";
    }
    if (stage instanceof UnionSpec union) {
      return union.name() + "(union of " + union.branches().size() + ")";
    }
    return stage.name() + "(" + ((NestedSpec) stage).pipeline() + ")";
  }
}
