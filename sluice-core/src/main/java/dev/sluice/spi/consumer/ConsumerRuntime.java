package dev.sluice.spi.consumer;

import dev.sluice.GroupMetadata;
import dev.sluice.StreamingJob;
import java.util.List;

/**
 * A backend's own consumer runtime, for backends with {@link
 * dev.sluice.spi.Capability#CONSUMER_RUNTIME} (Kafka consumer groups): it runs the jobs users
 * configure with {@link dev.sluice.Streaming} instead of Sluice's shared engine, and keeps the
 * promises of docs/CONSUMERS.md that its platform can keep (its docs list the others).
 */
public interface ConsumerRuntime {
  /**
   * Starts a job in the background. The returned job follows {@link StreamingJob}'s lifecycle:
   * {@code state()} moves from RUNNING to STOPPED or FAILED, and {@code failure()} tells why it
   * failed.
   */
  <T> StreamingJob start(ConsumerSpec<T> spec);

  /**
   * Handles at most one window that is ready now on the calling thread; returns whether it did.
   * Throws what stopped it.
   */
  <T> boolean once(ConsumerSpec<T> spec);

  /** The consumer groups of a stream, by name. */
  List<GroupMetadata> groups(String stream);
}
