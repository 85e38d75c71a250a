package dev.sluice.spi.consumer;

import dev.sluice.spi.Scheduler;
import java.time.Clock;

/**
 * What a backend with {@link dev.sluice.spi.Capability#CONSUMER_ENGINE} gives the shared consumer
 * engine: transactions over its consumer tables, the liveness of processes sharing the store, its
 * time, and its wake-ups. Thread-safe.
 */
public interface ConsumerTables {
  /** Work inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    /** Does the work; any exception rolls a write transaction back and reaches the caller. */
    T apply(ConsumerTx tx) throws Exception;
  }

  /** The store's URL. */
  String url();

  /** The store's clock: record timestamps, window boundaries, backoffs, group expiry. */
  Clock clock();

  /** The store's scheduler: periodic maintenance, idle re-checks, lease readings. */
  Scheduler scheduler();

  /**
   * This process's id in the store, unique among the live processes sharing it and free of {@code
   * /}; the engine names owners {@code processId/job/worker}.
   */
  String processId();

  /**
   * Whether the process with this id still runs. Never false for a live process; a process found
   * dead stays dead. A backend that cannot tell answers true, and leases are the only backstop.
   */
  boolean isAlive(String processId);

  /**
   * Runs work on a consistent snapshot that must not write. A checked exception of the work reaches
   * the caller wrapped in a {@link ConsumerWorkException}; an unchecked one as itself.
   */
  <T> T read(Work<T> work);

  /**
   * Runs work in one write transaction and returns once it committed. Any exception of the work
   * rolls the transaction back and reaches the caller: unchecked ones as themselves, checked ones
   * wrapped in a {@link ConsumerWorkException}. Failures of the store itself are {@link
   * dev.sluice.StoreException}s.
   */
  <T> T write(Work<T> work);

  /** The wake-ups of this store's streams. */
  Wakeups wakeups();
}
