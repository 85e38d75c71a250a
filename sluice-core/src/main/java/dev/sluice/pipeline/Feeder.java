package dev.sluice.pipeline;

import dev.sluice.spi.Source;
import java.util.Iterator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Cuts the feed into batches, numbers them in feed order and hands them to the first stage. A batch
 * is handed over only with a permit of the run's in-flight limit, so however large the feed, at
 * most that many batches exist at once.
 *
 * <p>In stream mode the run's watcher may flush a partial batch that waited too long, and closes
 * the feed when it has been idle too long; the lock makes those safe against the feeder thread.
 * After the idle close, an interrupt meant for the feed must not cost an item already taken from
 * it, so blocking hand-overs retry instead of giving up.
 */
final class Feeder {
  private final Run run;
  private final Outlet first;
  private final Semaphore permits;
  private final int batchSize;
  private final boolean dropLast;
  private final ReentrantLock lock;
  private final LongSupplier clock;
  private Object[] current;
  private int count;
  private long firstItemAt;
  private long nextSeq;
  private volatile long itemsIn;
  private volatile long itemsDropped;
  private volatile boolean waiting;
  private volatile long waitingSince;
  private volatile boolean idleClosed;

  Feeder(Run run, Outlet first, Semaphore permits, Settings settings, boolean stream) {
    this.run = run;
    this.first = first;
    this.permits = permits;
    this.batchSize = settings.batchSize();
    this.dropLast = settings.lastBatch() == Pipeline.LastBatch.DROP;
    this.lock = stream ? new ReentrantLock() : null;
    this.clock = settings.clock();
    this.current = new Object[batchSize];
  }

  void feed(Iterator<?> feed) {
    try {
      while (true) {
        if (lock != null) {
          waitingSince = clock.getAsLong();
          waiting = true;
        }
        if (idleClosed || !feed.hasNext()) {
          break;
        }
        Object item = feed.next();
        if (lock != null) {
          waiting = false;
        }
        add(item);
        if (idleClosed) {
          break;
        }
      }
    } catch (RunCancelled cancelled) {
      return;
    } catch (Throwable failure) {
      if (!idleClosed) {
        run.fail(Failure.inFeed(nextSeq, failure));
        return;
      }
    }
    finish();
  }

  void feed(Source<?> source) {
    Source.Emitter<Object> emitter =
        item -> {
          if (idleClosed) {
            throw new InterruptedException("the feed was closed by the idle timeout");
          }
          waiting = false;
          add(item);
          waitingSince = clock.getAsLong();
          waiting = true;
        };
    try {
      waitingSince = clock.getAsLong();
      waiting = true;
      source.run(emitter);
    } catch (RunCancelled cancelled) {
      return;
    } catch (Throwable failure) {
      if (!idleClosed) {
        run.fail(Failure.inFeed(nextSeq, failure));
        return;
      }
    }
    finish();
  }

  private void add(Object item) throws InterruptedException {
    if (lock == null) {
      append(item);
      return;
    }
    lockRetrying();
    try {
      append(item);
    } finally {
      lock.unlock();
    }
  }

  private void append(Object item) throws InterruptedException {
    if (count == 0 && lock != null) {
      firstItemAt = clock.getAsLong();
    }
    current[count++] = item;
    if (count == batchSize) {
      flush(true);
    }
  }

  /** Hands the current batch over; {@code retry} only on the feeder thread (see class doc). */
  private void flush(boolean retry) throws InterruptedException {
    Batch batch = new Batch(nextSeq, current, count, false);
    while (true) {
      try {
        permits.acquire();
        break;
      } catch (InterruptedException e) {
        if (!retry) {
          throw e;
        }
        retryOrThrow(e);
      }
    }
    nextSeq++;
    itemsIn += count;
    current = new Object[batchSize];
    count = 0;
    if (retry) {
      handOver(batch);
    } else {
      first.put(batch);
    }
  }

  /** Called by the watcher: hands over a partial batch whose first item waited long enough. */
  void flushIfOlder(long now, long maxWaitNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      if (count > 0 && now - firstItemAt >= maxWaitNanos) {
        flush(false);
      }
    } finally {
      lock.unlock();
    }
  }

  /** How long the feed has been asked for its next item without answering; 0 if not waiting. */
  long idleNanos(long now) {
    return waiting ? now - waitingSince : 0;
  }

  /** Marks the feed closed for idleness; the caller then closes the source and interrupts. */
  void closeForIdle() {
    idleClosed = true;
  }

  private void finish() {
    waiting = false;
    try {
      if (lock != null) {
        lockRetrying();
      }
      try {
        if (count > 0) {
          if (dropLast) {
            itemsIn += count;
            itemsDropped += count;
            current = new Object[0];
            count = 0;
          } else {
            flush(true);
          }
        }
      } finally {
        if (lock != null) {
          lock.unlock();
        }
      }
      handOver(Batch.END);
    } catch (RunCancelled cancelled) {
      // the run's first failure is already recorded
    } catch (Throwable failure) {
      run.fail(Failure.inFeed(nextSeq, failure));
    }
  }

  private void handOver(Batch batch) throws InterruptedException {
    while (true) {
      try {
        first.put(batch);
        return;
      } catch (InterruptedException e) {
        retryOrThrow(e);
      }
    }
  }

  private void lockRetrying() throws InterruptedException {
    while (true) {
      try {
        lock.lockInterruptibly();
        return;
      } catch (InterruptedException e) {
        retryOrThrow(e);
      }
    }
  }

  private void retryOrThrow(InterruptedException e) throws InterruptedException {
    if (!idleClosed || run.isCancelled()) {
      throw e;
    }
  }

  long itemsIn() {
    return itemsIn;
  }

  long itemsDropped() {
    return itemsDropped;
  }
}
