package dev.sluice.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the threads of one run that wait inside the engine — for room in a queue, a batch to take,
 * an in-flight permit, the feeder's hand-over, the watcher's tick — as opposed to running user code
 * or the engine's own work. When every thread of a run waits there and no queue moved for a while,
 * nothing can wake any of them: the run cannot make progress, and the collector fails it instead of
 * hanging (see {@code Run.watchTasks}).
 */
final class Waits {
  private final AtomicInteger waiting = new AtomicInteger();

  void enter() {
    waiting.incrementAndGet();
  }

  void exit() {
    waiting.decrementAndGet();
  }

  int waiting() {
    return waiting.get();
  }
}
