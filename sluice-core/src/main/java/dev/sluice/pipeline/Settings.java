package dev.sluice.pipeline;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * A pipeline's pipeline-wide options.
 *
 * @param idleTimeout {@code null} when off
 * @param outputType {@code null} when not declared
 * @param chaining whether adjacent single-worker steps are chained on one thread
 * @param explicit the names of the options set on the builder (a union branch may set none)
 * @param clock nanosecond ticks for the idle timeout and batch waits; replaced only by tests
 */
record Settings(
    int batchSize,
    int queueSize,
    boolean ordered,
    Pipeline.LastBatch lastBatch,
    Duration idleTimeout,
    Duration maxBatchWait,
    Class<?> outputType,
    boolean chaining,
    Set<String> explicit,
    LongSupplier clock) {
  static final int DEFAULT_BATCH_SIZE = 1;
  static final int DEFAULT_QUEUE_SIZE = 1000;
  static final Duration DEFAULT_MAX_BATCH_WAIT = Duration.ofMillis(50);

  Settings {
    explicit = Collections.unmodifiableSet(new TreeSet<>(explicit));
  }
}
