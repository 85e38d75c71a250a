package dev.sluice.internal.consumer;

import java.time.Clock;

/**
 * A store that keeps consumer groups in its own tables: the embedded and in-memory stores. The
 * consumer logic runs over it in {@link Coordinator}.
 */
public interface GroupTables {
  /** Work inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T apply(GroupTx tx) throws Exception;
  }

  /** The URL of the store. */
  String url();

  /** The store's clock. */
  Clock clock();

  /** This process's id in the store, unique among live processes. */
  String processId();

  /**
   * Whether the process with this id still runs. Never wrong about a live one; a process found dead
   * stays dead.
   */
  boolean isAlive(String processId);

  /** Runs work on a consistent snapshot; it must not write. */
  <T> T read(Work<T> work);

  /** Runs work in one write transaction and waits for the commit; any exception rolls it back. */
  <T> T write(Work<T> work);

  /** The wake-ups of this store's streams. */
  Signals signals();
}
