package dev.sluice.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * A pipeline's pipeline-wide options.
 *
 * @param queue the size of every queue without one of its own; never unset
 * @param padding the value that fills a short last batch under {@link Pipeline.LastBatch#PAD}
 * @param idleTimeout {@code null} when off
 * @param outputType {@code null} when not declared
 * @param chaining whether adjacent single-worker steps are chained on one thread
 * @param explicit the names of the options set on the builder (a union branch may set none)
 * @param clock nanosecond ticks for the idle timeout and batch waits; replaced only by tests
 */
record Settings(
    int batchSize,
    QueueSize queue,
    boolean ordered,
    Pipeline.LastBatch lastBatch,
    Object padding,
    Duration idleTimeout,
    Duration maxBatchWait,
    Class<?> outputType,
    boolean chaining,
    Set<String> explicit,
    LongSupplier clock) {
  static final int DEFAULT_BATCH_SIZE = 1;
  static final int DEFAULT_QUEUE_SIZE = 1000;
  static final int DEFAULT_WORKERS = 1;
  static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(50);

  Settings {
    explicit = Collections.unmodifiableSet(new TreeSet<>(explicit));
  }

  /** The same settings with another batch size; for tests that bypass the builder's checks. */
  Settings withBatchSize(int items) {
    return new Settings(
        items,
        queue,
        ordered,
        lastBatch,
        padding,
        idleTimeout,
        maxBatchWait,
        outputType,
        chaining,
        explicit,
        clock);
  }
}
