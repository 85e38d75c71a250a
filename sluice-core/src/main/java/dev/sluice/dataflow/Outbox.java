package dev.sluice.dataflow;

import java.util.concurrent.BlockingQueue;

/**
 * A worker's outgoing exchange traffic: one open batch per target worker and exchange, sent to the
 * target's inbox when full, when a frontier advances, or when the worker flushes.
 *
 * <p>Every (source, target, exchange) triple is a FIFO channel, because a worker sends its batches
 * to one target through one queue in order. Confined to its worker thread; the inboxes are
 * thread-safe.
 */
final class Outbox {
  /** Items per batch: large enough to amortise queue hand-offs, small enough to stay in cache. */
  static final int BATCH = 512;

  /** Batches waiting in a target's inbox above which a worker stops reading input. */
  static final int HIGH_WATER = 64;

  /** Items (and possibly a frontier) from one worker for one exchange stage of another. */
  static final class Batch {
    final int stage;
    final int source;
    final long[] epochs;
    final KV<?, ?>[] items;
    int size;
    boolean hasFrontier;
    long frontier;

    Batch(int stage, int source, int capacity) {
      this.stage = stage;
      this.source = source;
      this.epochs = new long[capacity];
      this.items = new KV<?, ?>[capacity];
    }
  }

  private final int self;
  private final BlockingQueue<Batch>[] inboxes;
  private final Batch[][] open;

  Outbox(int self, BlockingQueue<Batch>[] inboxes, int stages) {
    this.self = self;
    this.inboxes = inboxes;
    this.open = new Batch[inboxes.length][stages];
  }

  void add(int target, int stage, long epoch, KV<?, ?> item) {
    Batch batch = open[target][stage];
    if (batch == null) {
      batch = new Batch(stage, self, BATCH);
      open[target][stage] = batch;
    }
    batch.epochs[batch.size] = epoch;
    batch.items[batch.size] = item;
    if (++batch.size == BATCH) {
      send(target, stage);
    }
  }

  /** Tells every other worker that this one sends nothing below {@code frontier} on a stage. */
  void frontier(int stage, long frontier) {
    for (int target = 0; target < inboxes.length; target++) {
      if (target == self) {
        continue;
      }
      Batch batch = open[target][stage];
      if (batch == null) {
        batch = new Batch(stage, self, 0);
        open[target][stage] = batch;
      }
      batch.hasFrontier = true;
      batch.frontier = frontier;
      send(target, stage);
    }
  }

  /** Sends every partly filled batch. */
  void flush() {
    for (int target = 0; target < open.length; target++) {
      Batch[] batches = open[target];
      for (int stage = 0; stage < batches.length; stage++) {
        if (batches[stage] != null && batches[stage].size > 0) {
          send(target, stage);
        }
      }
    }
  }

  /** Whether another worker's inbox is so full that this worker should stop reading input. */
  boolean congested() {
    for (int target = 0; target < inboxes.length; target++) {
      if (target != self && inboxes[target].size() > HIGH_WATER) {
        return true;
      }
    }
    return false;
  }

  private void send(int target, int stage) {
    inboxes[target].add(open[target][stage]);
    open[target][stage] = null;
  }
}
