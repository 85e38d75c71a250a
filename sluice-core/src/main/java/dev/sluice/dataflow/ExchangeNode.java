package dev.sluice.dataflow;

/**
 * Routes each KV item to the worker that owns its key, for the keyed stage that follows; frontier
 * advances go to every worker, so that each channel of that stage carries epoch markers.
 *
 * <p>Items for this worker itself skip the queues and go straight to the local stage head. Confined
 * to one worker thread.
 */
final class ExchangeNode extends Node {
  private final Worker worker;
  private final int stage;
  private final Step step;
  private final int stepIndex;

  ExchangeNode(Worker worker, int stage, Step step, int stepIndex) {
    this.worker = worker;
    this.stage = stage;
    this.step = step;
    this.stepIndex = stepIndex;
  }

  @Override
  void push(long epoch, Object item) throws Exception {
    KV<Object, Object> kv = kv(item, step, stepIndex);
    int target = worker.routing.worker(kv.key(), worker.count);
    if (target == worker.index) {
      worker.stages[stage].receive(worker.index, epoch, kv);
    } else {
      worker.outbox.add(target, stage, epoch, kv);
    }
  }

  @Override
  void advance(long frontier) throws Exception {
    if (worker.count > 1) {
      worker.outbox.frontier(stage, frontier);
    }
    worker.stages[stage].receiveFrontier(worker.index, frontier);
  }
}
