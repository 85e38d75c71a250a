package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import dev.sluice.spi.Sink;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker: the flow's steps instantiated with this worker's state, split into stages at every
 * keyed exchange, plus the loop that feeds them from the worker's input and inbox.
 *
 * <p>Stage 0 starts at the input; stage {@code s > 0} starts at the {@code s}-th exchanging step
 * and receives from every worker. Confined to one thread: the caller's for {@code run}, a {@code
 * sluice-dataflow-w<n>} thread otherwise.
 */
final class Worker {
  /** Most input pairs read between two looks at the inbox. */
  static final int INPUT_CHUNK = 256;

  /** Longest time spent reading input between two flushes of the outbox, in nanoseconds. */
  static final long INPUT_SLICE_NANOS = 1_000_000L;

  final int index;
  final int count;
  final InputStage input;
  final KeyedStage[] stages;
  final Outbox outbox;
  final KeyHash routing;
  private final BlockingQueue<Outbox.Batch> inbox;
  private final Engine.Control control;

  Worker(
      List<Step> steps,
      KeyHash routing,
      int index,
      int count,
      Sink<Epoched<Object>> output,
      BlockingQueue<Outbox.Batch>[] inboxes,
      Engine.Control control) {
    this.index = index;
    this.count = count;
    this.control = control;
    this.routing = routing;
    this.inbox = inboxes == null ? null : inboxes[index];
    int exchanges = 0;
    for (Step step : steps) {
      exchanges += step.exchangesByKey() ? 1 : 0;
    }
    this.stages = new KeyedStage[exchanges + 1];
    this.outbox = inboxes == null ? null : new Outbox(index, inboxes, exchanges + 1);
    this.input = new InputStage(index, control);
    Emitter tail = input;
    int stage = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.exchangesByKey()) {
        stage++;
        tail = link(tail, new ExchangeNode(this, stage, step, i));
        KeyedStage head = KeyedStage.of(step, i, count);
        stages[stage] = head;
        tail = head;
      } else {
        tail = link(tail, node(step, i, output));
      }
    }
    link(tail, new Node.End());
  }

  private static Emitter link(Emitter tail, Node node) {
    tail.next = node;
    return node;
  }

  private static Node node(Step step, int stepIndex, Sink<Epoched<Object>> output) {
    if (step instanceof Step.Map) {
      return new Node.MapNode((Step.Map) step);
    }
    if (step instanceof Step.FlatMap) {
      return new Node.FlatMapNode((Step.FlatMap) step);
    }
    if (step instanceof Step.Filter) {
      return new Node.FilterNode((Step.Filter) step);
    }
    if (step instanceof Step.Inspect) {
      return new Node.InspectNode((Step.Inspect) step);
    }
    if (step instanceof Step.InspectEpoch) {
      return new Node.InspectEpochNode((Step.InspectEpoch) step);
    }
    if (step instanceof Step.ReduceEpochLocal) {
      return new Node.ReduceEpochLocalNode((Step.ReduceEpochLocal) step, stepIndex);
    }
    if (step instanceof Step.Capture) {
      return new Node.CaptureNode((Step.Capture) step, output);
    }
    throw new IllegalArgumentException("no local node for " + step.operator());
  }

  /**
   * Runs a single worker to the end of its input on the calling thread. Checks the thread's
   * interrupt flag between items.
   */
  void runAlone(Iterator<? extends Epoched<?>> items) throws Exception {
    // the flag is a plain field read: cheap enough to check at every item
    checkInterrupt();
    while (items.hasNext()) {
      Epoched<?> item = items.next();
      checkInterrupt();
      input.accept(item);
    }
    checkInterrupt();
    input.finish();
    checkInterrupt();
  }

  private static void checkInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      throw Engine.interrupted(new InterruptedException("the calling thread was interrupted"));
    }
  }

  /**
   * Runs this worker, one of several threads, until every stage has seen the end of input from
   * every worker, or the run is aborted.
   */
  void runShared(WorkerInput source) throws Exception {
    boolean inputDone = false;
    while (true) {
      control.checkAbort();
      boolean worked = drain();
      if (!inputDone) {
        if (outbox.congested()) {
          if (!worked) {
            outbox.flush();
            await(1);
          }
          continue;
        }
        if (!source.read(input, INPUT_CHUNK, System.nanoTime() + INPUT_SLICE_NANOS)) {
          inputDone = true;
          input.finish();
        }
        outbox.flush();
        continue;
      }
      if (allStagesDone()) {
        return;
      }
      if (!worked) {
        outbox.flush();
        await(50);
      }
    }
  }

  private boolean allStagesDone() {
    for (int s = 1; s < stages.length; s++) {
      if (!stages[s].done()) {
        return false;
      }
    }
    return true;
  }

  private boolean drain() throws Exception {
    boolean worked = false;
    for (int i = 0; i < 64; i++) {
      control.checkAbort();
      Outbox.Batch batch = inbox.poll();
      if (batch == null) {
        break;
      }
      receive(batch);
      worked = true;
    }
    return worked;
  }

  private void await(long millis) throws Exception {
    Outbox.Batch batch;
    try {
      batch = inbox.poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      control.checkAbort();
      throw new SluiceException("dataflow worker " + index + " was interrupted", e);
    }
    if (batch != null) {
      receive(batch);
    }
  }

  @SuppressWarnings("unchecked")
  private void receive(Outbox.Batch batch) throws Exception {
    KeyedStage stage = stages[batch.stage];
    for (int i = 0; i < batch.size; i++) {
      control.checkAbort();
      stage.receive(batch.source, batch.epochs[i], (KV<Object, Object>) batch.items[i]);
    }
    if (batch.hasFrontier) {
      stage.receiveFrontier(batch.source, batch.frontier);
    }
  }
}
