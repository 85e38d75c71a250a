package dev.sluice.pipeline;

import dev.sluice.spi.Source;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Cuts the feed into batches, numbers them in feed order and hands them to the first stage. A batch
 * is handed over only with a permit of the run's in-flight limit, so however large the feed, at
 * most that many batches exist at once.
 *
 * <p>In stream mode the run's watcher may hand on the items of the open batch whose first item
 * waited too long, while the feeder thread may be blocked in the feed. So that the feeder pays no
 * atomic instruction (and no fence) per item, it owns the open batch's array: it writes each item
 * into the next slot and then publishes its running count of items with a release store. The
 * watcher never takes the array away; it copies the published items it has not handed on yet (from
 * {@code stolen} up to the count it read) into a batch of their own and moves {@code stolen} past
 * them. The feeder reads {@code stolen} only when its array is full or the feed ended: a full array
 * the watcher took nothing from is handed over as it is; otherwise the items beyond {@code stolen}
 * move to the front of a fresh array (so the next batch still holds {@code batchSize} items), or,
 * at the end, form the last batch. Both sides do this under {@link #handOver}, which also gives
 * sequence numbers, so batches enter the first stage in sequence order and the end marker comes
 * last.
 *
 * <p>The watcher knows when the first item of a fresh array came (the feeder reads the clock for
 * it, once per batch); for the items that follow a partial hand-on it uses the last time it saw
 * none waiting, which is at most one of its ticks earlier than their arrival.
 *
 * <p>After the idle timeout closed the feed, an interrupt meant for the feed must not cost an item
 * already taken from it, so the feeder's blocking hand-overs retry instead of giving up.
 */
final class Feeder {
  private static final VarHandle TAKEN;

  static {
    try {
      TAKEN = MethodHandles.lookup().findVarHandle(Feeder.class, "taken", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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

  /** The open batch's array; replaced only under {@link #handOver}. */
  private Object[] current;

  /** Slots of {@link #current} the feeder has filled; the feeder's own. */
  private int count;

  /**
   * Items taken from the feed so far (stream mode): written by the feeder alone, with a release
   * store after the item's slot, so a reader that reads it with acquire sees every counted item.
   */
  @SuppressWarnings("unused") // through TAKEN
  private long taken;

  /** {@link #taken} less the items counted in {@link #current}; under {@link #handOver}. */
  private long opened;

  /** Slots of {@link #current} the watcher has handed on already; under {@link #handOver}. */
  private int stolen;

  /**
   * When the first item of {@link #current} came; written by the feeder before it counts it (or,
   * when it moves unsent items to a fresh array, under {@link #handOver}).
   */
  private long firstItemAt;

  /**
   * The watcher's lower bound of when the oldest item it has not handed on came, once it handed on
   * part of {@link #current}: the last time it saw no such item. Under {@link #handOver}.
   */
  private long quietSince;

  private long nextSeq;
  private volatile long itemsIn;
  private volatile long itemsDropped;
  private volatile long itemsPadded;
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
          if (ended) {
            throw new IllegalStateException(
                "a source must emit only while its run(emitter) is running: item "
                    + Checks.describe(item));
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
    if (shared) {
      if (count == 0) {
        firstItemAt = clock.getAsLong();
      }
      current[count++] = item;
      // publishes the slot to the watcher: a plain store on x86, no fence
      TAKEN.setRelease(this, (long) TAKEN.get(this) + 1);
    } else {
      current[count++] = item;
    }
    if (count == batchSize) {
      sendFull();
    }
  }

  /**
   * The array is full: hands it over whole, or, if the watcher handed on part of it already, moves
   * the rest to the front of a fresh array, so that the next batch holds {@code batchSize} items
   * after the partial one, as if the watcher had opened a fresh array.
   */
  private void sendFull() throws InterruptedException {
    if (!shared) {
      send(current, count, true);
      current = new Object[batchSize];
      count = 0;
      return;
    }
    lockHandOver(true);
    try {
      if (stolen == 0) {
        Object[] items = current;
        current = new Object[batchSize];
        count = 0;
        opened = (long) TAKEN.get(this);
        sendLocked(items, batchSize, true);
        return;
      }
      Object[] rest = new Object[batchSize];
      System.arraycopy(current, stolen, rest, 0, count - stolen);
      current = rest;
      count -= stolen;
      opened += stolen;
      stolen = 0;
      firstItemAt = quietSince;
    } finally {
      handOver.unlock();
    }
  }

  /**
   * Called by the watcher: hands on the items of the open batch that it has not handed on yet, if
   * the first of them waited {@code maxWaitNanos}. Never waits for the hand-over lock: whoever
   * holds it is handing a batch over already.
   */
  void flushIfOlder(long now, long maxWaitNanos) throws InterruptedException {
    if (!handOver.tryLock()) {
      return;
    }
    try {
      if (ended) {
        return;
      }
      int filled = (int) ((long) TAKEN.getAcquire(this) - opened);
      if (filled == stolen) {
        quietSince = now;
        return;
      }
      long since = stolen == 0 ? firstItemAt : quietSince;
      if (now - since < maxWaitNanos) {
        return;
      }
      Object[] items = Arrays.copyOfRange(current, stolen, filled);
      stolen = filled;
      quietSince = now;
      sendLocked(items, items.length, false);
    } finally {
      handOver.unlock();
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
        int left = count - stolen;
        Object[] rest = stolen == 0 ? current : Arrays.copyOfRange(current, stolen, count);
        stolen = count;
        if (left > 0 && dropLast) {
          itemsIn += left;
          itemsDropped += left;
        } else if (left > 0 && padLast && left < batchSize) {
          Object[] padded = Arrays.copyOf(rest, batchSize);
          Arrays.fill(padded, left, batchSize, padding);
          itemsPadded += batchSize - left;
          itemsIn -= batchSize - left;
          sendLocked(padded, batchSize, true);
        } else if (left > 0) {
          sendLocked(rest, left, true);
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

  /** Items taken from the feed so far (stream mode); the watcher's measure of progress. */
  long taken() {
    return (long) TAKEN.getAcquire(this);
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
