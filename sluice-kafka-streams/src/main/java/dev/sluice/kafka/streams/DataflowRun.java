package dev.sluice.kafka.streams;

import dev.sluice.SluiceException;
import java.time.Duration;

/**
 * This JVM's instance of a dataflow run on Kafka Streams, from {@link KafkaStreamsRunner#start}.
 *
 * <p>Closing it stops this instance only; the other instances take over its partitions.
 * Thread-safe.
 */
public interface DataflowRun extends AutoCloseable {

  /**
   * Blocks until the whole run has ended: every input partition got its end marker and every
   * capturing task wrote its last capture.
   *
   * @throws SluiceException if the run failed on any instance — the cause is the exception of the
   *     step that failed — or if the calling thread was interrupted (the cause is the {@link
   *     InterruptedException}; the interrupt flag is set again)
   */
  void awaitEnd();

  /**
   * As {@link #awaitEnd()}, for at most {@code timeout}.
   *
   * @return true if the run ended, false if the time ran out
   */
  boolean awaitEnd(Duration timeout);

  /** Stops this instance, waiting up to ten seconds for it to leave the group. */
  @Override
  void close();
}
