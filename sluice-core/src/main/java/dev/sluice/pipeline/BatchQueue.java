package dev.sluice.pipeline;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded blocking queue of batches that a run can cancel: cancelling wakes every thread blocked
 * in {@link #put} or {@link #take} with {@link RunCancelled}, so no thread of a failed run waits on
 * a queue that nobody will serve again.
 *
 * <p>A producer blocked on a full queue is woken only once the queue has drained to half, not at
 * every take: otherwise a fast producer and its consumer would trade a park and an unpark per
 * batch. Consumers are woken at every put, so no batch waits for company.
 */
final class BatchQueue implements Outlet {
  private final Batch[] ring;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private int head;
  private int count;
  private volatile int depth;
  private volatile long items;
  // plain fields, written under the lock: the progress watch reads them under the lock too, rarely,
  // so the hand-over path pays no extra fence for them
  private long moves;
  private int waiters;
  private volatile boolean cancelled;

  /**
   * @param capacity whole batches; at least 1 (see {@link QueueSize#capacity}), or nothing could
   *     ever pass
   */
  BatchQueue(int capacity) {
    ring = new Batch[capacity];
  }

  @Override
  public void put(Batch batch) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (count == ring.length && !cancelled) {
        // counted under the lock, per queue: no shared counter on the hand-over path
        waiters++;
        try {
          while (count == ring.length && !cancelled) {
            notFull.await();
          }
        } finally {
          waiters--;
        }
      }
      if (cancelled) {
        throw RunCancelled.INSTANCE;
      }
      ring[(head + count) % ring.length] = batch;
      count++;
      depth = count;
      items += batch.size;
      moves++;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  Batch take() throws InterruptedException {
    return poll(Long.MAX_VALUE);
  }

  /** Takes the head, waiting at most {@code nanos}; {@code null} if none came. */
  Batch poll(long nanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = nanos;
      if (count == 0 && !cancelled) {
        waiters++;
        try {
          while (count == 0 && !cancelled) {
            if (nanos == Long.MAX_VALUE) {
              notEmpty.await();
            } else if (left <= 0) {
              return null;
            } else {
              left = notEmpty.awaitNanos(left);
            }
          }
        } finally {
          waiters--;
        }
      }
      if (cancelled) {
        throw RunCancelled.INSTANCE;
      }
      Batch batch = ring[head];
      ring[head] = null;
      head = (head + 1) % ring.length;
      count--;
      depth = count;
      items -= batch.size;
      moves++;
      if (count <= ring.length / 2) {
        notFull.signal();
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting thread; later calls throw {@link RunCancelled}. */
  void cancel() {
    lock.lock();
    try {
      cancelled = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int depth() {
    return depth;
  }

  long items() {
    return items;
  }

  /** Threads waiting in {@link #put} or {@link #poll} now. */
  int waiters() {
    lock.lock();
    try {
      return waiters;
    } finally {
      lock.unlock();
    }
  }

  /** Batches put and taken so far: changes whenever the queue moves. */
  long moves() {
    lock.lock();
    try {
      return moves;
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return ring.length;
  }
}
