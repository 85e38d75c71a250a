package dev.sluice.spi.consumer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes consumers waiting for a store's streams to change. A backend creates one, hands it out
 * through {@link ConsumerTables#wakeups()} and calls {@link #bump} after each commit of its own,
 * and when it learns that another process wrote (a poller, LISTEN/NOTIFY, a broker callback). The
 * engine waits on it with {@link #await}.
 *
 * <p>One version number for the whole store keeps this simple and cheap: a waiter re-checks its own
 * stream when woken, which costs a snapshot read. Thread-safe.
 */
public final class Wakeups {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition waitersArrived = lock.newCondition();
  private long version;
  private int waiters;
  private int housekeepers;

  /** The current version; pass it to {@link #await} to wait for a change after this. */
  public long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /** Something changed: wakes every waiter. */
  public void bump() {
    lock.lock();
    try {
      version++;
      if (waiters > 0 || housekeepers > 0) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the version moves past {@code seen} or {@code timeout} passes; returns whether it
   * moved.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public boolean await(long seen, Duration timeout) throws InterruptedException {
    return awaitAsConsumer(seen, timeout.toNanos(), true);
  }

  /**
   * Waits, with no time limit, until the version moves past {@code seen}: for a consumer that
   * nothing but a change of the store can make progress for (no time window is due, no retry
   * waits). Returns at once if it moved already.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void await(long seen) throws InterruptedException {
    awaitAsConsumer(seen, 0, false);
  }

  private boolean awaitAsConsumer(long seen, long nanos, boolean timed)
      throws InterruptedException {
    lock.lock();
    try {
      waiters++;
      if (waiters == 1) {
        waitersArrived.signalAll();
      }
      try {
        long left = nanos;
        while (version == seen && (!timed || left > 0)) {
          if (timed) {
            left = changed.awaitNanos(left);
          } else {
            changed.await();
          }
        }
        return version != seen;
      } finally {
        waiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * For a backend's own housekeeping (a checkpointer): waits with no time limit until the version
   * moves past {@code seen}, without counting as a waiting consumer, and returns the new version.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public long awaitChange(long seen) throws InterruptedException {
    lock.lock();
    try {
      housekeepers++;
      try {
        while (version == seen) {
          changed.await();
        }
        return version;
      } finally {
        housekeepers--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether any consumer waits now; a poller may rest while nobody does. */
  public boolean hasWaiters() {
    lock.lock();
    try {
      return waiters > 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * For a poller: waits until somebody waits, at most {@code timeout}.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void awaitWaiters(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      if (waiters == 0) {
        waitersArrived.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * For a poller: waits, with no time limit, until somebody waits.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public void awaitWaiters() throws InterruptedException {
    lock.lock();
    try {
      while (waiters == 0) {
        waitersArrived.await();
      }
    } finally {
      lock.unlock();
    }
  }
}
