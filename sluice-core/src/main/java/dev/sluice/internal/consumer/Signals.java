package dev.sluice.internal.consumer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes consumers waiting for a stream to change. Appends in this process {@link #bump} at commit;
 * a store shared with other processes also bumps when its poller sees another process write.
 *
 * <p>One version number for the whole store keeps this simple and cheap: a waiter re-checks its own
 * stream when woken, which costs a snapshot read.
 */
public final class Signals {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Condition waitersArrived = lock.newCondition();
  private long version;
  private int waiters;

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
      if (waiters > 0) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the version moves past {@code seen} or {@code nanos} pass; returns whether it
   * moved.
   */
  public boolean await(long seen, long nanos) throws InterruptedException {
    lock.lock();
    try {
      waiters++;
      if (waiters == 1) {
        waitersArrived.signalAll();
      }
      try {
        long left = nanos;
        while (version == seen && left > 0) {
          left = changed.awaitNanos(left);
        }
        return version != seen;
      } finally {
        waiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether anybody waits now. */
  public boolean hasWaiters() {
    lock.lock();
    try {
      return waiters > 0;
    } finally {
      lock.unlock();
    }
  }

  /** For a poller: waits until somebody waits, at most {@code millis}. */
  public void awaitWaiters(long millis) throws InterruptedException {
    lock.lock();
    try {
      if (waiters == 0) {
        waitersArrived.await(millis, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
