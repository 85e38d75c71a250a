package dev.sluice.pipeline;

import java.time.Duration;

/**
 * A stream-mode run started in the background by {@link Pipeline#start}.
 *
 * <p>The run owns its threads and queues; when it ends (the feed ended and everything was written
 * to the sink, the idle timeout fired, a failure, or {@link #close()}), none of them is left
 * running. All methods are thread-safe.
 */
public interface PipelineRun extends AutoCloseable {
  /** Where a run is in its life. */
  enum State {
    /** Feeding, processing or writing. */
    RUNNING,
    /** The feed ended (or went idle) and every output was written. */
    SUCCEEDED,
    /** A step, the feed, the sink or the final count check failed. */
    FAILED,
    /** Stopped by {@link #close()} or by interrupting the thread that ran it. */
    CANCELLED
  }

  /** The current state; never blocks. */
  State state();

  /**
   * A snapshot of the run's counters, queue depths and busy times; never blocks and may be called
   * while the run is going.
   */
  PipelineMetrics metrics();

  /**
   * Blocks until the run has ended and its threads are gone.
   *
   * @throws PipelineException if the run failed or was cancelled
   * @throws InterruptedException if the calling thread is interrupted while waiting; the run goes
   *     on
   */
  void await() throws InterruptedException;

  /**
   * Blocks until the run has ended or the timeout elapsed.
   *
   * @param timeout the longest wait
   * @return {@code true} if the run ended successfully, {@code false} if it is still running
   * @throws PipelineException if the run failed or was cancelled
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Cancels the run if it is still going (items in flight are discarded) and waits until its
   * threads are gone. Returns promptly unless a step ignores interruption. Idempotent.
   */
  @Override
  void close();
}
