package dev.sluice.internal;

import dev.sluice.StoreOptions;
import dev.sluice.StreamingJob;
import dev.sluice.internal.consumer.ConsumerEngine;
import dev.sluice.spi.StoreBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;

/** One open backend and what its handles share: options, the bound on pending async appends. */
final class SharedStore {
  private final String url;
  private final StoreBackend backend;
  private final StoreOptions options;
  private final Semaphore pendingAppends;
  private int handles;
  private final ConsumerEngine engine;
  private final Set<StreamingJob> jobs =
      Collections.newSetFromMap(new WeakHashMap<StreamingJob, Boolean>());
  private static final Logger LOG = dev.sluice.internal.log.Logs.get(SharedStore.class);

  SharedStore(String url, StoreBackend backend, StoreOptions options) {
    this.url = url;
    this.backend = backend;
    this.options = options;
    this.pendingAppends = new Semaphore(options.maxPendingAppends());
    this.engine =
        backend.consumerTables().map(t -> new ConsumerEngine(t, backend::partitions)).orElse(null);
  }

  /** The shared consumer engine of this store, or null if its backend has no consumer tables. */
  ConsumerEngine engine() {
    return engine;
  }

  /** The canonical URL the registry keys this store by. */
  String url() {
    return url;
  }

  StoreBackend backend() {
    return backend;
  }

  StoreOptions options() {
    return options;
  }

  Semaphore pendingAppends() {
    return pendingAppends;
  }

  /**
   * Starts the store's maintenance on its scheduler, if the store has consumer tables: every second
   * of the store's time it enforces retention and removes expired groups, in bounded transactions.
   * It ends when the store closes.
   */
  void startMaintenance() {
    if (engine != null) {
      engine.startMaintenance();
    }
  }

  /** Stops the maintenance and the consumer engine's bookkeeping; the backend closes next. */
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Remembers a running consumer, to stop it before the store closes. */
  void register(StreamingJob job) {
    synchronized (jobs) {
      jobs.add(job);
    }
  }

  /** Stops every consumer still running on this store and waits a while for them. */
  void stopJobs() {
    List<StreamingJob> running;
    synchronized (jobs) {
      running = new ArrayList<>(jobs);
      jobs.clear();
    }
    running.forEach(StreamingJob::stop);
    for (StreamingJob job : running) {
      try {
        if (!job.awaitTermination(Duration.ofSeconds(10))) {
          LOG.warn("{} did not stop within 10 s of its store closing", job);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Stops the consumers, then closes the backend; once. A second caller (the last handle closing
   * while the JVM exits) waits for the first, so no consumer loses its store while it stops.
   */
  void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
      stopJobs();
      closeEngine();
      backend.close();
    }
  }

  private final Object closeLock = new Object();
  private boolean closed;

  /** Called with the registry's lock held. */
  StoreHandle newHandle() {
    handles++;
    return new StoreHandle(this);
  }

  /** Called with the registry's lock held; returns whether this was the last handle. */
  boolean releaseOne() {
    return --handles == 0;
  }
}
