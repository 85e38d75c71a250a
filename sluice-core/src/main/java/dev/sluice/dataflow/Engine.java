package dev.sluice.dataflow;

import dev.sluice.SluiceException;
import dev.sluice.spi.Sink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine behind {@link Execution}: runs a flow on the calling thread, or on worker
 * threads of this JVM that exchange keyed items through in-memory queues.
 *
 * <p>Every run owns its threads and queues. It returns or throws only after all its threads have
 * ended. The first failure of any thread aborts the others and is rethrown as itself.
 */
final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  /** Thread names: {@code sluice-dataflow-w<worker index>}. */
  static final String THREAD_PREFIX = "sluice-dataflow-w";

  /** Pairs per slice handed from the feeder of {@code runCluster} to a worker. */
  static final int FEED_SLICE = 256;

  /** Slices waiting per worker before the feeder blocks. */
  static final int FEED_DEPTH = 16;

  private Engine() {}

  /** Where a worker thread gets its input and output; called on that thread. */
  interface WorkerIo {
    WorkerInput input(int index, int count) throws Exception;

    Sink<Epoched<Object>> output(int index, int count) throws Exception;
  }

  /** Runs one worker on the calling thread and returns the captured pairs in capture order. */
  static List<Epoched<Object>> runAlone(Dataflow<?, ?> flow, Iterable<? extends Epoched<?>> input) {
    List<Epoched<Object>> captured = new ArrayList<>();
    Worker worker = new Worker(flow.steps(), 0, 1, captured::add, null, null);
    try {
      Iterator<? extends Epoched<?>> items = input.iterator();
      try {
        worker.runAlone(items);
      } finally {
        if (items instanceof AutoCloseable) {
          ((AutoCloseable) items).close();
        }
      }
    } catch (Throwable t) {
      throw sneaky(t);
    }
    return captured;
  }

  /**
   * Runs {@code workers} threads reading {@code input} round-robin by position, fed from the
   * calling thread, and returns the captured pairs sorted by epoch.
   */
  static List<Epoched<Object>> runFed(
      Dataflow<?, ?> flow, Iterable<? extends Epoched<?>> input, int workers) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    BlockingQueue<Epoched<?>[]>[] feeds = new BlockingQueue[workers];
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Epoched<Object>>[] outputs = new List[workers];
    for (int i = 0; i < workers; i++) {
      feeds[i] = new ArrayBlockingQueue<>(FEED_DEPTH);
      outputs[i] = new ArrayList<>();
    }
    Run run =
        new Run(
            flow,
            workers,
            new WorkerIo() {
              @Override
              public WorkerInput input(int index, int count) {
                return WorkerInput.fed(feeds[index]);
              }

              @Override
              public Sink<Epoched<Object>> output(int index, int count) {
                return outputs[index]::add;
              }
            });
    run.start();
    try {
      feed(input, feeds, run.control);
    } catch (InterruptedException e) {
      run.control.fail(new CallerInterrupted(e));
    } catch (Throwable t) {
      run.control.fail(t);
    }
    run.await();
    List<Epoched<Object>> all = new ArrayList<>();
    for (List<Epoched<Object>> output : outputs) {
      all.addAll(output);
    }
    all.sort(Comparator.comparingLong(Epoched::epoch));
    return all;
  }

  /** Runs {@code workers} threads, each with its own input and output. */
  static void runThreads(Dataflow<?, ?> flow, int workers, WorkerIo io) {
    Run run = new Run(flow, workers, io);
    run.start();
    run.await();
  }

  private static void feed(
      Iterable<? extends Epoched<?>> input, BlockingQueue<Epoched<?>[]>[] feeds, Control control)
      throws InterruptedException {
    int workers = feeds.length;
    Epoched<?>[][] slices = new Epoched<?>[workers][FEED_SLICE];
    int[] sizes = new int[workers];
    int next = 0;
    Iterator<? extends Epoched<?>> items = input.iterator();
    try {
      while (items.hasNext()) {
        if (control.aborted) {
          return;
        }
        int worker = next;
        next = next + 1 == workers ? 0 : next + 1;
        slices[worker][sizes[worker]++] = items.next();
        if (sizes[worker] == FEED_SLICE) {
          hand(feeds[worker], slices[worker], control);
          slices[worker] = new Epoched<?>[FEED_SLICE];
          sizes[worker] = 0;
        }
      }
    } finally {
      if (items instanceof AutoCloseable) {
        try {
          ((AutoCloseable) items).close();
        } catch (Exception e) {
          control.fail(e);
        }
      }
    }
    for (int worker = 0; worker < workers; worker++) {
      if (sizes[worker] > 0) {
        hand(feeds[worker], Arrays.copyOf(slices[worker], sizes[worker]), control);
      }
      hand(feeds[worker], WorkerInput.END, control);
    }
  }

  private static void hand(BlockingQueue<Epoched<?>[]> feed, Epoched<?>[] slice, Control control)
      throws InterruptedException {
    while (!feed.offer(slice, 10, TimeUnit.MILLISECONDS)) {
      if (control.aborted) {
        return;
      }
    }
  }

  /** The error thrown when the caller's thread is interrupted; its interrupt flag stays set. */
  static SluiceException interrupted(InterruptedException cause) {
    Thread.currentThread().interrupt();
    return new SluiceException("dataflow run interrupted; all workers stopped", cause);
  }

  /** Throws any throwable, checked or not, without wrapping it. */
  static RuntimeException sneaky(Throwable t) {
    Engine.<RuntimeException>throwAs(t);
    return new IllegalStateException("unreachable", t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void throwAs(Throwable t) throws E {
    throw (E) t;
  }

  /** The shared state of one run: the first failure and the abort flag. Thread-safe. */
  static final class Control {
    volatile boolean aborted;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread[] threads = new Thread[0];

    /** Records the first failure and stops every thread; later failures are ignored. */
    void fail(Throwable t) {
      if (failure.compareAndSet(null, t)) {
        abortAll();
      }
    }

    /** Records a failure while closing: the first failure, or one suppressed by the first. */
    void suppress(Throwable t) {
      if (failure.compareAndSet(null, t)) {
        abortAll();
        return;
      }
      Throwable first = failure.get();
      if (first != t && !(t instanceof Aborted)) {
        first.addSuppressed(t);
      }
    }

    private void abortAll() {
      aborted = true;
      for (Thread thread : threads) {
        if (thread != Thread.currentThread()) {
          thread.interrupt();
        }
      }
    }

    Throwable failure() {
      return failure.get();
    }

    void checkAbort() {
      if (aborted) {
        throw Aborted.INSTANCE;
      }
    }
  }

  /** Unwinds a worker after another one failed; never escapes the engine. */
  static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Aborted INSTANCE = new Aborted();

    private Aborted() {
      super("aborted", null, false, false);
    }
  }

  /** The marker failure recorded when the caller is interrupted. */
  private static final class CallerInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallerInterrupted(InterruptedException cause) {
      super(cause);
    }
  }

  /** One run on worker threads. */
  private static final class Run {
    final Control control = new Control();
    private final Thread[] threads;
    private final CountDownLatch finished;

    Run(Dataflow<?, ?> flow, int workers, WorkerIo io) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      BlockingQueue<Outbox.Batch>[] inboxes = new BlockingQueue[workers];
      for (int i = 0; i < workers; i++) {
        inboxes[i] = new LinkedBlockingQueue<>();
      }
      this.threads = new Thread[workers];
      this.finished = new CountDownLatch(workers);
      for (int i = 0; i < workers; i++) {
        int index = i;
        Thread thread =
            new Thread(() -> work(flow, index, workers, io, inboxes), THREAD_PREFIX + index);
        thread.setDaemon(true);
        threads[i] = thread;
      }
      control.threads = threads;
    }

    void start() {
      for (Thread thread : threads) {
        thread.start();
      }
    }

    private void work(
        Dataflow<?, ?> flow,
        int index,
        int workers,
        WorkerIo io,
        BlockingQueue<Outbox.Batch>[] inboxes) {
      WorkerInput input = null;
      Sink<Epoched<Object>> output = null;
      try {
        output = io.output(index, workers);
        if (output == null) {
          throw new SluiceException("the output builder returned null for worker " + index);
        }
        input = io.input(index, workers);
        new Worker(flow.steps(), index, workers, output, inboxes, control).runShared(input);
      } catch (Aborted aborted) {
        // another thread failed first
      } catch (Throwable t) {
        if (!control.aborted) {
          LOG.debug("dataflow worker {} of {} failed; stopping all workers", index, workers, t);
        }
        control.fail(t);
      } finally {
        close(input);
        close(output);
        finished.countDown();
      }
    }

    private void close(AutoCloseable closeable) {
      if (closeable == null) {
        return;
      }
      try {
        closeable.close();
      } catch (Throwable t) {
        control.suppress(t);
      }
    }

    /** Waits for every thread, then rethrows the first failure as itself. */
    void await() {
      boolean interrupted = false;
      try {
        finished.await();
      } catch (InterruptedException e) {
        interrupted = true;
        control.fail(new CallerInterrupted(e));
      }
      for (Thread thread : threads) {
        while (true) {
          try {
            thread.join();
            break;
          } catch (InterruptedException e) {
            interrupted = true;
            control.fail(new CallerInterrupted(e));
          }
        }
      }
      Throwable failure = control.failure();
      if (failure instanceof CallerInterrupted) {
        throw interrupted((InterruptedException) failure.getCause());
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw sneaky(failure);
      }
    }
  }
}
