package dev.sluice.pipeline;

import dev.sluice.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline: it owns the queues and threads it creates and leaves none behind.
 *
 * <p>Layout: a feeder thread cuts the feed into numbered batches; each stage — a step, or a chain
 * of chained single-worker steps — has its input queue and its worker threads; a union hands each
 * batch to every branch and joins their outputs; the last stage puts into the results queue, which
 * the collector (the caller's thread, or the handle's collector thread) drains, reorders and
 * delivers. Every thread runs as a {@link FutureTask}.
 *
 * <p>Failure: the first failure is recorded and cancels everything at once: every queue wakes its
 * waiters with {@link RunCancelled}, every task is interrupted, the source is closed, and a
 * collector blocked in the sink is interrupted. The collector also polls its queue with a timeout
 * and checks the tasks, so a thread that died without reporting cannot leave it waiting. Once the
 * collector stops, it joins every thread before returning or throwing.
 *
 * <p>Memory: the feeder takes a permit per batch and the collector returns it once the batch is
 * delivered, so at most {@link #inFlightLimit} batches exist, wherever they are (queues, workers, a
 * union's join, the reorder buffer).
 */
final class Run {
  private static final Logger LOG = LoggerFactory.getLogger(Run.class);
  private static final String THREAD_PREFIX = "sluice-pipeline-";
  private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  private static final long JOIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Idle polls of the collector without any move before a run counts as stuck. */
  private static final int STALLED_CHECKS = 10;

  /**
   * Where the collector puts outputs: the result list or the sink. It gets the first {@code size}
   * slots of an array that no stage of the run touches again.
   */
  interface Delivery {
    void deliver(Object[] outputs, int size) throws Exception;
  }

  private final Settings settings;
  private final boolean watched;
  private final Source<?> source;
  private final Chain top;
  private final List<StepRuntime> steps = new ArrayList<>();
  private final List<StepRuntime> countedSteps = new ArrayList<>();
  private final List<StageRuntime> stageRuntimes = new ArrayList<>();
  private final List<BatchQueue> queues = new ArrayList<>();
  private final BatchQueue results;
  private final int inFlightLimit;
  private final Semaphore permits;
  private final Feeder feeder;
  private final Waits waits = new Waits();
  private final ToIntFunction<QueueSize> capacity;
  private long lastMoves = -1;
  private int stalls;
  private final List<FutureTask<Void>> tasks = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<Failure> failure = new AtomicReference<>();
  private final AtomicBoolean sourceClosed = new AtomicBoolean();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Object sinkLock = new Object();
  private Thread inSink;
  private boolean sinkInterrupted;
  private Thread feederThread;
  private FutureTask<Void> watcher;
  private volatile boolean cancelled;
  private volatile long itemsOut;
  private volatile PipelineRun.State state = PipelineRun.State.RUNNING;

  Run(Pipeline<?, ?> pipeline, boolean stream, Source<?> source) {
    this(pipeline, stream, source, null);
  }

  /**
   * @param capacity how many batches a queue of a given size holds; {@code null} for {@link
   *     QueueSize#capacity}; tests replace it to make a run that cannot progress
   */
  Run(
      Pipeline<?, ?> pipeline,
      boolean stream,
      Source<?> source,
      ToIntFunction<QueueSize> capacity) {
    this.settings = pipeline.settings();
    this.source = source;
    this.capacity =
        capacity != null ? capacity : size -> size.capacity(pipeline.settings().batchSize());
    this.top = new Chain(settings.outputType(), false);
    this.results = queue(settings.queue());
    Outlet first = wire(pipeline.stages(), results, "", top, steps, settings.queue());
    for (StepRuntime step : steps) {
      if (!step.inBranch()) {
        // a branch gives one output per item; the steps around the union count its items
        countedSteps.add(step);
      }
    }
    int limit = 1;
    for (BatchQueue queue : queues) {
      limit += queue.capacity();
    }
    for (StageRuntime stage : stageRuntimes) {
      limit += stage.workers;
    }
    this.inFlightLimit = limit;
    this.permits = new Semaphore(limit);
    this.watched = stream && (settings.batchSize() > 1 || settings.idleTimeout() != null);
    this.feeder = new Feeder(this, first, permits, settings, watched, waits);
  }

  private BatchQueue queue(QueueSize size) {
    BatchQueue queue = new BatchQueue(capacity.applyAsInt(size));
    queues.add(queue);
    return queue;
  }

  /**
   * Builds the stages back to front; returns the first stage's inlet. With chaining on, each run of
   * adjacent chainable steps becomes one stage: one thread and one input queue for all of them.
   */
  private Outlet wire(
      List<Stage> stages,
      Outlet downstream,
      String prefix,
      Chain chain,
      List<StepRuntime> into,
      QueueSize defaultQueue) {
    List<List<StepRuntime>> perStage = new ArrayList<>();
    Outlet next = downstream;
    int end = stages.size();
    while (end > 0) {
      Stage stage = stages.get(end - 1);
      if (stage instanceof StepSpec) {
        int begin = chainStart(stages, end - 1);
        StepSpec first = (StepSpec) stages.get(begin);
        BatchQueue in = queue(first.queue().or(defaultQueue));
        List<StepRuntime> chained = new ArrayList<>();
        StringBuilder threadName = new StringBuilder(prefix);
        for (int k = begin; k < end; k++) {
          StepSpec step = (StepSpec) stages.get(k);
          chained.add(new StepRuntime(prefix + step.name(), step, k == begin ? in : null, chain));
          threadName.append(k == begin ? "" : "+").append(step.name());
        }
        stageRuntimes.add(new StageRuntime(threadName.toString(), chained, in, next, this));
        perStage.add(0, chained);
        next = in;
        end = begin;
      } else if (stage instanceof UnionSpec union) {
        String name = prefix + union.name();
        int count = union.branches().size();
        UnionRuntime join = new UnionRuntime(name, union.joiner(), count, next, this);
        List<Outlet> inlets = new ArrayList<>();
        List<StepRuntime> branchSteps = new ArrayList<>();
        for (int b = 0; b < count; b++) {
          Pipeline<?, ?> branch = union.branches().get(b);
          Chain branchChain = new Chain(branch.settings().outputType(), true);
          inlets.add(
              wire(
                  branch.stages(),
                  join.branchEnd(b, branchChain),
                  name + "/" + b + "/",
                  branchChain,
                  branchSteps,
                  defaultQueue));
        }
        perStage.add(0, branchSteps);
        next = join.inlet(inlets);
        end--;
      } else if (stage instanceof NestedSpec nested) {
        Settings inner = nested.pipeline().settings();
        boolean ownQueue =
            inner.explicit().contains("queueSize") || inner.explicit().contains("queueBatches");
        Chain nestedChain = new Chain(inner.outputType(), chain.branch);
        List<StepRuntime> nestedSteps = new ArrayList<>();
        next =
            wire(
                nested.pipeline().stages(),
                unwrapping(nestedChain, nested.name(), next),
                prefix + nested.name() + "/",
                nestedChain,
                nestedSteps,
                ownQueue ? inner.queue() : defaultQueue);
        perStage.add(0, nestedSteps);
        end--;
      }
    }
    perStage.forEach(into::addAll);
    return next;
  }

  /**
   * The end of a nested pipeline: items that {@link Step#stopWith(Object)} ended inside it become
   * its outputs and go on through the holding pipeline; items ended outside stay ended.
   */
  private Outlet unwrapping(Chain nested, String name, Outlet downstream) {
    return batch -> {
      if (batch == Batch.END) {
        downstream.put(batch);
        return;
      }
      Object[] values;
      try {
        values = nested.unwrap(batch, "an output of nested pipeline '" + name + "'");
      } catch (RuntimeException e) {
        fail(Failure.inStep(name, batch.seq, e));
        throw RunCancelled.INSTANCE;
      }
      downstream.put(
          values == batch.items
              ? batch
              : new Batch(batch.seq, values, batch.size, batch.hasFinished));
    };
  }

  /** The index of the first step of the chain that ends with step {@code last}. */
  private int chainStart(List<Stage> stages, int last) {
    if (!chainable(stages.get(last))) {
      return last;
    }
    int begin = last;
    while (begin > 0 && chainable(stages.get(begin - 1))) {
      begin--;
    }
    return begin;
  }

  /** Whether a stage may share a thread with adjacent chainable steps. */
  private boolean chainable(Stage stage) {
    return settings.chaining()
        && stage instanceof StepSpec step
        && step.workers() == 1
        && !step.queue().isSet();
  }

  /** Starts the feeder, the workers and (in stream mode, when needed) the watcher. */
  void start(Consumer<Feeder> feed) {
    try {
      for (StageRuntime stage : stageRuntimes) {
        for (int w = 1; w <= stage.workers; w++) {
          spawn(stage.name + "-" + w, stage::work);
        }
      }
      feederThread = spawn("feed", () -> feed.accept(feeder));
      if (watched) {
        watcher = spawnTask("watch", this::watch);
      }
    } catch (Throwable e) {
      fail(Failure.ofRun("could not start the pipeline's threads: " + e, e));
    }
  }

  private Thread spawn(String name, Runnable body) {
    spawnTask(name, body);
    synchronized (this) {
      return threads.get(threads.size() - 1);
    }
  }

  private synchronized FutureTask<Void> spawnTask(String name, Runnable body) {
    FutureTask<Void> task = new FutureTask<>(body, null);
    if (cancelled) {
      task.cancel(false);
    }
    Thread thread = new Thread(task, THREAD_PREFIX + name);
    thread.setDaemon(true);
    tasks.add(task);
    threads.add(thread);
    thread.start();
    return task;
  }

  /**
   * Drains the results on the calling thread until the run ends, then joins every thread.
   *
   * @throws PipelineException if the run failed, was interrupted or was closed
   */
  void collect(Delivery delivery, String deliveryName) {
    boolean interrupted = false;
    try {
      interrupted = drain(delivery, deliveryName);
    } catch (Throwable unexpected) {
      fail(Failure.ofRun("the pipeline's collector failed: " + unexpected, unexpected));
    }
    if (failure.get() != null) {
      cancelAll();
    }
    if (watcher != null) {
      watcher.cancel(true);
    }
    List<String> stuck = joinThreads();
    synchronized (sinkLock) {
      if (sinkInterrupted) {
        Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() == null) {
      checkCounts();
    }
    Failure failed = failure.get();
    state =
        failed == null
            ? PipelineRun.State.SUCCEEDED
            : failed.cancellation() ? PipelineRun.State.CANCELLED : PipelineRun.State.FAILED;
    ended.countDown();
    if (failed != null) {
      PipelineException thrown = failed.toException();
      if (!stuck.isEmpty()) {
        thrown.addSuppressed(stuckThreads(stuck));
      }
      throw thrown;
    }
  }

  /** Returns whether the caller's thread was interrupted from outside. */
  private boolean drain(Delivery delivery, String deliveryName) {
    ReorderBuffer reorder = settings.ordered() ? new ReorderBuffer(inFlightLimit) : null;
    try {
      while (true) {
        Batch batch = results.poll(WATCH_NANOS);
        if (batch == null) {
          watchTasks();
        } else if (batch == Batch.END) {
          break;
        } else if (reorder == null) {
          deliver(batch, delivery, deliveryName);
        } else {
          reorder.put(batch);
          for (Batch next = reorder.pollNext(); next != null; next = reorder.pollNext()) {
            deliver(next, delivery, deliveryName);
          }
        }
      }
      if (reorder != null && reorder.held() > 0) {
        fail(
            Failure.ofRun(
                "every batch must reach the end before the feed's end does: batch "
                    + reorder.next()
                    + " is missing, "
                    + reorder.held()
                    + " later ones arrived",
                null));
      }
      return false;
    } catch (RunCancelled cancelledRun) {
      return false;
    } catch (InterruptedException e) {
      if (cancelled) {
        return false;
      }
      fail(Failure.cancelled("the pipeline run was interrupted", e));
      return true;
    }
  }

  private void deliver(Batch batch, Delivery delivery, String deliveryName)
      throws InterruptedException {
    Object[] outputs;
    try {
      outputs = top.unwrap(batch, "an output of the pipeline");
    } catch (RuntimeException e) {
      fail(Failure.ofRun(e.getMessage() + " (batch " + batch.seq + ")", e));
      throw RunCancelled.INSTANCE;
    }
    synchronized (sinkLock) {
      if (cancelled) {
        throw RunCancelled.INSTANCE;
      }
      inSink = Thread.currentThread();
    }
    try {
      delivery.deliver(outputs, batch.size);
    } catch (InterruptedException e) {
      if (cancelled) {
        throw RunCancelled.INSTANCE;
      }
      throw e;
    } catch (Throwable e) {
      if (!cancelled) {
        fail(Failure.inDelivery(deliveryName, batch.seq, e));
      }
      throw RunCancelled.INSTANCE;
    } finally {
      synchronized (sinkLock) {
        inSink = null;
      }
    }
    itemsOut += batch.size;
    permits.release();
  }

  /** Cancels the run with this failure unless it already ended or failed; first one wins. */
  void fail(Failure failed) {
    if (state == PipelineRun.State.RUNNING && failure.compareAndSet(null, failed)) {
      if (!failed.cancellation()) {
        LOG.debug("pipeline run failed: {}", failed.message(), failed.cause());
      }
      cancelAll();
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  private void cancelAll() {
    cancelled = true;
    for (BatchQueue queue : queues) {
      queue.cancel();
    }
    synchronized (this) {
      for (FutureTask<Void> task : tasks) {
        task.cancel(true);
      }
    }
    closeSource();
    synchronized (sinkLock) {
      if (inSink != null) {
        inSink.interrupt();
        sinkInterrupted = true;
      }
    }
  }

  private void closeSource() {
    if (source != null && sourceClosed.compareAndSet(false, true)) {
      try {
        source.close();
      } catch (Exception e) {
        LOG.warn("closing the pipeline's source failed", e);
      }
    }
  }

  /**
   * The safety net behind the tasks' own failure reports: a task that died is a failure, and so is
   * a run in which no thread can make progress. Called by the collector when its queue stayed empty
   * for a while.
   */
  private void watchTasks() {
    List<FutureTask<Void>> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(tasks);
    }
    watchProgress(snapshot);
    for (FutureTask<Void> task : snapshot) {
      if (task.isDone() && !task.isCancelled()) {
        try {
          task.get();
        } catch (ExecutionException e) {
          fail(Failure.ofRun("a pipeline thread died: " + e.getCause(), e.getCause()));
        } catch (InterruptedException | CancellationException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /**
   * Fails the run when every live thread of it waits inside the engine (for a queue, a permit, the
   * hand-over or the watcher's tick; never in user code) and no queue moved over {@link
   * #STALLED_CHECKS} of the collector's idle polls: nothing is left that could wake any of them.
   * The configurations that led here are rejected when building; this catches the ones we missed.
   */
  private void watchProgress(List<FutureTask<Void>> snapshot) {
    int live = 0;
    for (FutureTask<Void> task : snapshot) {
      live += task.isDone() ? 0 : 1;
    }
    long moves = 0;
    int waiting = waits.waiting();
    for (BatchQueue queue : queues) {
      moves += queue.moves();
      waiting += queue.waiters();
    }
    moves += feeder.itemsIn();
    // the collector polls the results queue, but not now: it is here
    if (live == 0 || waiting < live || moves != lastMoves) {
      lastMoves = moves;
      stalls = 0;
      return;
    }
    if (++stalls >= STALLED_CHECKS) {
      StringBuilder depths = new StringBuilder();
      for (BatchQueue queue : queues) {
        depths.append(depths.length() == 0 ? "" : ", ");
        depths.append(queue.depth()).append('/').append(queue.capacity());
      }
      fail(
          Failure.ofRun(
              "the pipeline run cannot make progress: all "
                  + live
                  + " of its threads wait for a queue or a permit that none of them will free"
                  + " (queues, batches held/capacity: "
                  + depths
                  + ")",
              null));
    }
  }

  /**
   * In stream mode: hands on partial batches that waited too long, and ends a feed that gave
   * nothing for the idle timeout (time spent waiting for room downstream does not count).
   */
  private void watch() {
    Duration idle = settings.idleTimeout();
    long idleNanos = idle == null ? 0 : idle.toNanos();
    long waitNanos = settings.batchSize() > 1 ? settings.maxBatchWait().toNanos() : 0;
    long tick = MAX_TICK_NANOS;
    if (idleNanos > 0) {
      tick = Math.min(tick, idleNanos / 4);
    }
    if (waitNanos > 0) {
      tick = Math.min(tick, waitNanos / 2);
    }
    tick = Math.max(tick, TimeUnit.MILLISECONDS.toNanos(1));
    long lastTaken = -1;
    long lastProgress = settings.clock().getAsLong();
    try {
      while (!cancelled && !feeder.ended()) {
        waits.enter();
        try {
          TimeUnit.NANOSECONDS.sleep(tick);
        } finally {
          waits.exit();
        }
        long now = settings.clock().getAsLong();
        long taken = feeder.taken();
        if (taken != lastTaken || feeder.blockedDownstream()) {
          lastTaken = taken;
          lastProgress = now;
        } else if (idleNanos > 0 && now - lastProgress >= idleNanos) {
          LOG.debug("pipeline feed idle for {}: closing it", idle);
          feeder.closeForIdle();
          closeSource();
          feederThread.interrupt();
          return;
        }
        if (waitNanos > 0) {
          feeder.flushIfOlder(now, waitNanos);
        }
      }
    } catch (RunCancelled | InterruptedException e) {
      // the run ended or was cancelled
    } catch (Throwable e) {
      fail(Failure.ofRun("the pipeline's watcher failed: " + e, e));
    }
  }

  private List<String> joinThreads() {
    List<Thread> all;
    synchronized (this) {
      all = new ArrayList<>(threads);
    }
    long deadline = System.nanoTime() + JOIN_GRACE_NANOS;
    boolean interrupted = false;
    List<String> stuck = new ArrayList<>();
    for (Thread thread : all) {
      while (thread.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          stuck.add(thread.getName());
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedJoin(thread, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (!stuck.isEmpty()) {
      LOG.warn("{}", stuckThreads(stuck).getMessage());
    }
    return stuck;
  }

  private static PipelineException stuckThreads(List<String> names) {
    return new PipelineException(
        "pipeline threads must stop within "
            + Duration.ofNanos(JOIN_GRACE_NANOS)
            + " of the run's end; these ignore interruption and still run: "
            + names);
  }

  private void checkCounts() {
    long growth = 0;
    long filtered = 0;
    long stopped = 0;
    for (StepRuntime step : countedSteps) {
      growth += step.itemsOut() - step.itemsIn();
      filtered += step.filtered();
      stopped += step.stopped();
    }
    long in = feeder.itemsIn() + feeder.itemsPadded();
    long dropped = feeder.itemsDropped();
    long expected = in - dropped + growth;
    if (itemsOut != expected) {
      failure.compareAndSet(
          null,
          Failure.ofRun(
              "items out must equal items in (padding included) - dropped - filtered - stopped +"
                  + " flat-map growth: "
                  + itemsOut
                  + " != "
                  + in
                  + " - "
                  + dropped
                  + " - "
                  + filtered
                  + " - "
                  + stopped
                  + " + "
                  + (growth + filtered + stopped),
              null));
    }
  }

  PipelineRun.State state() {
    return state;
  }

  void awaitEnd() throws InterruptedException {
    ended.await();
  }

  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The failure as an exception, or {@code null} when the run succeeded or still runs. */
  PipelineException failure() {
    Failure failed = failure.get();
    return state == PipelineRun.State.RUNNING || failed == null ? null : failed.toException();
  }

  PipelineMetrics metrics() {
    List<StepMetrics> snapshot = new ArrayList<>(steps.size());
    for (StepRuntime step : steps) {
      snapshot.add(step.snapshot());
    }
    return new PipelineMetrics(
        feeder.itemsIn(), itemsOut, feeder.itemsDropped(), snapshot, feeder.itemsPadded());
  }
}
