package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Where a worker thread reads its {@code (epoch, item)} pairs from, in slices, so that the worker
 * can serve its inbox between slices.
 */
interface WorkerInput extends AutoCloseable {

  /**
   * Reads at most {@code max} pairs into {@code stage}, stopping early once {@code deadline} (a
   * {@link System#nanoTime()} value) has passed.
   *
   * @return false at the end of input
   */
  boolean read(InputStage stage, int max, long deadline) throws Exception;

  @Override
  default void close() throws Exception {}

  /** Reads a user's iterable; blocks when its iterator blocks. */
  static WorkerInput of(Iterable<? extends Epoched<?>> iterable, int worker) {
    if (iterable == null) {
      throw new SluiceException("the input builder returned null for worker " + worker);
    }
    Iterator<? extends Epoched<?>> items = iterable.iterator();
    return new WorkerInput() {
      @Override
      public boolean read(InputStage stage, int max, long deadline) throws Exception {
        for (int i = 0; i < max; i++) {
          if (!items.hasNext()) {
            return false;
          }
          stage.accept(items.next());
          if ((i & 15) == 15 && System.nanoTime() - deadline > 0) {
            return true;
          }
        }
        return true;
      }

      @Override
      public void close() throws Exception {
        if (items instanceof AutoCloseable) {
          ((AutoCloseable) items).close();
        }
      }
    };
  }

  /** Reads slices handed over by the run's feeder thread; {@link #END} ends the input. */
  static WorkerInput fed(BlockingQueue<Epoched<?>[]> slices) {
    return (stage, max, deadline) -> {
      Epoched<?>[] slice = slices.poll(1, TimeUnit.MILLISECONDS);
      if (slice == null) {
        return true;
      }
      if (slice == END) {
        return false;
      }
      for (Epoched<?> pair : slice) {
        stage.accept(pair);
      }
      return true;
    };
  }

  /** The slice that ends a fed input. */
  Epoched<?>[] END = new Epoched<?>[0];
}
