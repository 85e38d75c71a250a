package dev.sluice.server;

import dev.sluice.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;

/**
 * A started {@link StreamingApp}: its HTTP server is listening and its consumers and sources run.
 * Closing it stops the server, then the consumers and sources, then closes the store if the app
 * opened it. Thread-safe.
 */
public interface RunningApp extends AutoCloseable {
  /** The server's base address, such as {@code http://127.0.0.1:8080/}. */
  URI uri();

  /** The port the server listens on (the one chosen by the system if port 0 was asked for). */
  int port();

  /** The store the app serves. */
  Store store();

  /** The registry behind {@code GET /metrics}; add your own meters to it. */
  MeterRegistry meterRegistry();

  /** Waits until the app is closed (by {@link #close()} from another thread or at JVM exit). */
  void awaitClose() throws InterruptedException;

  /** Waits at most {@code timeout} for the app to be closed; returns whether it was. */
  boolean awaitClose(Duration timeout) throws InterruptedException;

  /** Stops the server, the consumers and the sources, and closes an owned store. Idempotent. */
  @Override
  void close();
}
