package dev.sluice;

import java.time.Duration;
import java.util.Optional;

/**
 * A consumer running in the background, from {@link Streaming#start}. Closing it stops it.
 *
 * <p>A job stops when asked ({@link #stop}), when its store closes, or on its own — {@link
 * State#FAILED}, with {@link #failure()} saying why — when its stream is dropped or cleared ({@link
 * StreamChangedException}), when the {@link DeadLetter#STOP} policy meets a window that still
 * fails, or when its {@link WindowEmitter} or the store throws. Every failure is also logged, with
 * the stream and group.
 */
public interface StreamingJob extends AutoCloseable {
  /** Where a job stands. */
  enum State {
    /** Configured, not started yet. */
    NEW,
    /** Workers are handling windows. */
    RUNNING,
    /** Asked to stop: windows being handled finish, then the workers end. */
    STOPPING,
    /** Every worker ended; the job stopped as asked (or its store closed). */
    STOPPED,
    /** Every worker ended; the job stopped on a failure, which {@link #failure()} reports. */
    FAILED
  }

  /** Where the job stands now. */
  State state();

  /**
   * Asks the workers to stop: windows being handled finish (or fail) and are committed, claims not
   * yet started are released for other consumers. Returns at once; see {@link #awaitTermination}.
   */
  void stop();

  /** Waits until every worker has stopped. */
  void awaitTermination() throws InterruptedException;

  /** Waits at most {@code timeout} for every worker to stop; returns whether they did. */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /** Whether the job is still running. */
  boolean isRunning();

  /**
   * Why the job stopped on its own, if it did: the exception its emitter, a {@code STOP} window or
   * the store threw, or a {@link StreamChangedException}.
   */
  Optional<Throwable> failure();

  /** What the job has done so far. */
  JobMetrics metrics();

  /** Stops the job and waits for its workers. */
  @Override
  void close();
}
