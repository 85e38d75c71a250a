package dev.sluice.config;

import dev.sluice.EventStream;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.util.Map;

/**
 * The sources and consumers of a {@link SluiceConfig}, running. Closing it stops what it started (a
 * source or consumer shared with another deployment of the same configuration keeps running until
 * the last one closes). Thread-safe.
 */
public interface Deployment extends AutoCloseable {
  /** The store everything runs on. */
  Store store();

  /** The running sources, by {@code <stream>/<source name>}. */
  Map<String, EventStream.Attachment> sources();

  /** The running consumers, by {@code <stream>/<group>}. */
  Map<String, StreamingJob> consumers();

  /** Stops the sources and consumers this deployment holds, and the store if it opened it. */
  @Override
  void close();
}
