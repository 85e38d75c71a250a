package dev.sluice.pipeline;

import dev.sluice.spi.Source;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Cuts the feed into batches, numbers them in feed order and hands them to the first stage. A batch
 * is handed over only with a permit of the run's in-flight limit, so however large the feed, at
 * most that many batches exist at once.
 *
 * <p>In stream mode the run's watcher may take a partial batch whose first item waited too long,
 * while the feeder thread may be blocked in the feed. So that the feeder does not pay a lock per
 * item, the open batch's fill count is an atomic: the feeder writes the item into the slot, then
 * publishes it with a compare-and-set; taking the batch (by the feeder when full, by the watcher
 * when old) swaps the count to {@link #TAKEN}, which makes a racing append retry on the next batch.
 * Every hand-over happens under {@link #handOver}, which also gives sequence numbers, so batches
 * enter the first stage in sequence order and the end marker comes last.
 *
 * <p>After the idle timeout closed the feed, an interrupt meant for the feed must not cost an item
 * already taken from it, so the feeder's blocking hand-overs retry instead of giving up.
 */
final class Feeder {
  private static final int TAKEN = -1;

  private final Run run;
  private final Outlet first;
  private final Semaphore permits;
  private final int batchSize;
  private final boolean dropLast;
  private final boolean padLast;
  private final Object padding;
  private final Waits waits;
  private final boolean shared;
  private final LongSupplier clock;
  private final ReentrantLock handOver = new ReentrantLock();
  private final AtomicInteger fill = new AtomicInteger();
  private volatile Object[] current;
  private long firstItemAt;
  private long nextSeq;
  private int count;
  private volatile long itemsIn;
  private volatile long itemsDropped;
  private volatile long itemsPadded;
  private long taken;
  private volatile boolean blocked;
  private volatile boolean ended;
  private volatile boolean idleClosed;

  /**
   * @param shared whether the run's watcher may take partial batches concurrently
   */
  Feeder(Run run, Outlet first, Semaphore permits, Settings settings, boolean shared, Waits waits) {
    this.run = run;
    this.first = first;
    this.permits = permits;
    this.batchSize = settings.batchSize();
    this.dropLast = settings.lastBatch() == Pipeline.LastBatch.DROP;
    this.padLast = settings.lastBatch() == Pipeline.LastBatch.PAD;
    this.padding = settings.padding();
    this.waits = waits;
    this.shared = shared;
    this.clock = settings.clock();
    this.current = new Object[batchSize];
  }

  void feed(Iterator<?> feed) {
    try {
      while (!idleClosed && feed.hasNext()) {
        add(feed.next());
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

  /**
   * Batch mode: feeds a collection. A random-access list is copied a whole batch at a time ({@code
   * subList(from, to).toArray()}, an array copy for the JDK's lists) instead of item by item.
   */
  void feed(Collection<?> items) {
    if (shared || !(items instanceof List<?> list) || !(items instanceof RandomAccess)) {
      feed(items.iterator());
      return;
    }
    try {
      int size = list.size();
      int from = 0;
      for (; size - from >= batchSize; from += batchSize) {
        send(copy(list, from, from + batchSize), batchSize, true);
      }
      for (int i = from; i < size; i++) {
        current[count++] = list.get(i);
      }
    } catch (RunCancelled cancelled) {
      return;
    } catch (Throwable failure) {
      run.fail(Failure.inFeed(nextSeq, failure));
      return;
    }
    finish();
  }

  /** A new {@code Object[]} holding the list's items from {@code from} to {@code to}. */
  private static Object[] copy(List<?> list, int from, int to) {
    Object[] items = list.subList(from, to).toArray();
    if (items.length != to - from) {
      throw new ConcurrentModificationException(
          "the collection must not change during transform: expected "
              + (to - from)
              + " items from index "
              + from
              + ", got "
              + items.length);
    }
    // a list may hand out an array of its element type, which map steps could not write into
    return items.getClass() == Object[].class
        ? items
        : Arrays.copyOf(items, to - from, Object[].class);
  }

  void feed(Source<?> source) {
    Source.Emitter<Object> emitter =
        item -> {
          if (idleClosed) {
            throw new InterruptedException("the feed was closed by the idle timeout");
          }
          add(item);
        };
    try {
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
    if (!shared) {
      current[count++] = item;
      if (count == batchSize) {
        send(current, count, true);
        current = new Object[batchSize];
        count = 0;
      }
      return;
    }
    taken++;
    while (true) {
      int at = fill.get();
      if (at == TAKEN) {
        if (ended) {
          throw new IllegalStateException(
              "a source must emit only while its run(emitter) is running: item "
                  + Checks.describe(item));
        }
        Thread.onSpinWait();
        continue;
      }
      if (at == 0) {
        firstItemAt = clock.getAsLong();
      }
      current[at] = item;
      if (fill.compareAndSet(at, at + 1)) {
        if (at + 1 == batchSize) {
          takeAndSend(batchSize, true);
        }
        return;
      }
    }
  }

  /** Takes the open batch if it still holds {@code expected} items, and hands it over. */
  private boolean takeAndSend(int expected, boolean retry) throws InterruptedException {
    lockHandOver(retry);
    try {
      if (!fill.compareAndSet(expected, TAKEN)) {
        return false;
      }
      Object[] items = current;
      current = new Object[batchSize];
      fill.set(0);
      sendLocked(items, expected, retry);
      return true;
    } finally {
      handOver.unlock();
    }
  }

  /** Called by the watcher: hands over a partial batch whose first item waited long enough. */
  void flushIfOlder(long now, long maxWaitNanos) throws InterruptedException {
    int at = fill.get();
    if (at > 0 && now - firstItemAt >= maxWaitNanos) {
      takeAndSend(at, false);
    }
  }

  private void send(Object[] items, int size, boolean retry) throws InterruptedException {
    lockHandOver(retry);
    try {
      sendLocked(items, size, retry);
    } finally {
      handOver.unlock();
    }
  }

  private void sendLocked(Object[] items, int size, boolean retry) throws InterruptedException {
    while (!permits.tryAcquire()) {
      blocked = true;
      waits.enter();
      try {
        permits.acquire();
        break;
      } catch (InterruptedException e) {
        if (!retry) {
          throw e;
        }
        retryOrThrow(e);
      } finally {
        waits.exit();
        blocked = false;
      }
    }
    Batch batch = new Batch(nextSeq++, items, size, false);
    itemsIn += size;
    put(batch, retry);
  }

  private void put(Batch batch, boolean retry) throws InterruptedException {
    while (true) {
      blocked = true;
      try {
        first.put(batch);
        return;
      } catch (InterruptedException e) {
        if (!retry) {
          throw e;
        }
        retryOrThrow(e);
      } finally {
        blocked = false;
      }
    }
  }

  private void lockHandOver(boolean retry) throws InterruptedException {
    while (true) {
      if (handOver.tryLock()) {
        return;
      }
      waits.enter();
      try {
        handOver.lockInterruptibly();
        return;
      } catch (InterruptedException e) {
        if (!retry) {
          throw e;
        }
        retryOrThrow(e);
      } finally {
        waits.exit();
      }
    }
  }

  private void retryOrThrow(InterruptedException e) throws InterruptedException {
    if (!idleClosed || run.isCancelled()) {
      throw e;
    }
  }

  /** Hands over what is left (or drops it, as the policy says), then the end marker. */
  private void finish() {
    ended = true;
    try {
      lockHandOver(true);
      try {
        int left = shared ? fill.getAndSet(TAKEN) : count;
        if (left > 0 && dropLast) {
          itemsIn += left;
          itemsDropped += left;
        } else if (left > 0 && padLast && left < batchSize) {
          Arrays.fill(current, left, batchSize, padding);
          itemsPadded += batchSize - left;
          itemsIn -= batchSize - left;
          sendLocked(current, batchSize, true);
        } else if (left > 0) {
          sendLocked(current, left, true);
        }
        put(Batch.END, true);
      } finally {
        handOver.unlock();
      }
    } catch (RunCancelled cancelled) {
      // the run's first failure is already recorded
    } catch (Throwable failure) {
      run.fail(Failure.inFeed(nextSeq, failure));
    }
  }

  /**
   * Items taken from the feed so far (stream mode); the watcher's measure of progress. Written
   * before the fill count's compare-and-set, which publishes it; read after reading that count.
   */
  long taken() {
    fill.get();
    return taken;
  }

  /** Whether the feeder is waiting for room downstream rather than for the feed. */
  boolean blockedDownstream() {
    return blocked || handOver.isLocked();
  }

  boolean ended() {
    return ended;
  }

  /** Marks the feed closed for idleness; the caller then closes the source and interrupts. */
  void closeForIdle() {
    idleClosed = true;
  }

  long itemsIn() {
    return itemsIn;
  }

  long itemsDropped() {
    return itemsDropped;
  }

  long itemsPadded() {
    return itemsPadded;
  }
}
