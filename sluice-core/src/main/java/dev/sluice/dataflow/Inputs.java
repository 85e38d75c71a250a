package dev.sluice.dataflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Input helpers that give items their epochs, as bytewax's {@code bytewax.inputs}: {@code
 * singleBatch}, {@code fullyOrdered}, {@code tumblingEpoch}, {@code sortedWindow}, and {@code
 * distribute} for input builders.
 *
 * <p>Every helper is lazy: it returns an {@link Iterable} that reads the wrapped one as it is
 * iterated, so it works on endless inputs, and can be iterated again if the wrapped iterable can.
 * Each iterator is for one thread. Exceptions from a {@link TimeGetter} or {@link DropHandler} are
 * thrown from the iteration as themselves.
 */
public final class Inputs {
  private Inputs() {}

  /** All items in epoch 0, for batch processing: {@code [a, b]} gives {@code [(0, a), (0, b)]}. */
  public static <T> Iterable<Epoched<T>> singleBatch(Iterable<? extends T> items) {
    Objects.requireNonNull(items, "items must not be null");
    return () -> map(items.iterator(), item -> new Epoched<>(0, item));
  }

  /** Each item in the next epoch: {@code [a, b, c]} gives {@code [(0, a), (1, b), (2, c)]}. */
  public static <T> Iterable<Epoched<T>> fullyOrdered(Iterable<? extends T> items) {
    Objects.requireNonNull(items, "items must not be null");
    return () -> {
      long[] epoch = {0};
      return map(items.iterator(), item -> new Epoched<>(epoch[0]++, item));
    };
  }

  /**
   * Items within one tumbling time window share an epoch, with bytewax's rule: {@code epoch =
   * startEpoch + trunc((time - startTime) / length)}, the quotient truncated toward zero. When
   * {@code startTime} is null the first item's time is the start, and the first item is in {@code
   * startEpoch}. Items must come in time order, or epochs decrease and the run fails; see {@link
   * #sortedWindow}.
   *
   * @param length the window length, positive
   * @param timeGetter reads an item's time; {@code item -> Instant.now()} gives ingestion time
   * @param startTime the start of epoch {@code startEpoch}, or null for the first item's time
   * @param startEpoch the epoch of the first window
   * @throws IllegalArgumentException if {@code length} is not positive
   */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items,
      Duration length,
      TimeGetter<? super T> timeGetter,
      Instant startTime,
      long startEpoch) {
    Objects.requireNonNull(items, "items must not be null");
    Objects.requireNonNull(timeGetter, "timeGetter must not be null");
    requirePositive(length);
    return () -> {
      Instant[] start = {startTime};
      return map(
          items.iterator(),
          item -> {
            Instant time = time(timeGetter, item);
            if (start[0] == null) {
              start[0] = time;
              return new Epoched<>(startEpoch, item);
            }
            long windows = Duration.between(start[0], time).dividedBy(length);
            return new Epoched<>(Math.addExact(startEpoch, windows), item);
          });
    };
  }

  /** {@link #tumblingEpoch(Iterable, Duration, TimeGetter, Instant, long)} from the first item. */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items, Duration length, TimeGetter<? super T> timeGetter) {
    return tumblingEpoch(items, length, timeGetter, null, 0);
  }

  /**
   * Items read within one tumbling window of ingestion time share an epoch: bytewax's default, with
   * the time each item is read from {@code items} on the system clock. The first item is in epoch
   * 0.
   *
   * @param length the window length, positive
   * @throws IllegalArgumentException if {@code length} is not positive
   */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items, Duration length) {
    return tumblingEpoch(items, length, Clock.systemUTC());
  }

  /**
   * Items read within one tumbling window of ingestion time on {@code clock} share an epoch; the
   * first item is in epoch 0. Pass the store's clock, or a {@link dev.sluice.testkit.ManualClock}
   * in tests.
   *
   * @param length the window length, positive
   * @param clock read once per item, as the item is read
   * @throws IllegalArgumentException if {@code length} is not positive
   */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items, Duration length, Clock clock) {
    Objects.requireNonNull(clock, "clock must not be null");
    return tumblingEpoch(items, length, item -> clock.instant(), null, 0);
  }

  /**
   * {@link #tumblingEpoch(Iterable, Duration, TimeGetter, Instant, long)} with numeric times:
   * {@code epoch = startEpoch + trunc((time - startTime) / length)}, all in the unit of the times.
   *
   * @param length the window length in the unit of the times, positive
   * @param timeGetter reads an item's time
   * @param startTime the start of epoch {@code startEpoch}
   * @param startEpoch the epoch of the first window
   * @throws IllegalArgumentException if {@code length} is not positive
   */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items,
      long length,
      LongTimeGetter<? super T> timeGetter,
      long startTime,
      long startEpoch) {
    return tumblingEpoch(
        items, positiveUnits(length), instants(timeGetter), unit(startTime), startEpoch);
  }

  /** {@link #tumblingEpoch(Iterable, long, LongTimeGetter, long, long)} from the first item. */
  public static <T> Iterable<Epoched<T>> tumblingEpoch(
      Iterable<? extends T> items, long length, LongTimeGetter<? super T> timeGetter) {
    return tumblingEpoch(items, positiveUnits(length), instants(timeGetter), null, 0);
  }

  /**
   * {@link #sortedWindow(Iterable, Duration, TimeGetter, DropHandler)} with numeric times; {@code
   * length} is in their unit.
   */
  public static <T> Iterable<T> sortedWindow(
      Iterable<? extends T> items,
      long length,
      LongTimeGetter<? super T> timeGetter,
      DropHandler<? super T> onDrop) {
    return sortedWindow(items, units(length), instants(timeGetter), onDrop);
  }

  /** {@link #sortedWindow(Iterable, long, LongTimeGetter, DropHandler)} dropping silently. */
  public static <T> Iterable<T> sortedWindow(
      Iterable<? extends T> items, long length, LongTimeGetter<? super T> timeGetter) {
    return sortedWindow(items, length, timeGetter, null);
  }

  /*
   * Numeric times reuse the Instant arithmetic, exactly: one unit is one nanosecond, so every long
   * is a valid instant and every difference a valid duration.
   */
  private static Instant unit(long time) {
    return Instant.ofEpochSecond(0, time);
  }

  private static Duration units(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    return Duration.ofNanos(length);
  }

  private static Duration positiveUnits(long length) {
    if (length <= 0) {
      throw new IllegalArgumentException("length must be positive: " + length);
    }
    return Duration.ofNanos(length);
  }

  private static <T> TimeGetter<T> instants(LongTimeGetter<T> getter) {
    Objects.requireNonNull(getter, "timeGetter must not be null");
    return item -> unit(getter.timeOf(item));
  }

  /**
   * Sorts a roughly ordered input by time, with bytewax's rules, dropping items too late to sort.
   *
   * <p>Items are buffered. When an item is newer than every item before it, the drop line becomes
   * its time minus {@code length}, and every buffered item at or before the line is emitted in time
   * order. An item at or before the drop line is too late: it goes to {@code onDrop} instead. At
   * the end of input the rest of the buffer is emitted in time order. Items with equal times keep
   * their input order (bytewax leaves that order undefined). Ordered input needs a length of zero;
   * reversed input needs the whole time span.
   *
   * @param length how far back an item may be and still be sorted in; not negative
   * @param onDrop receives dropped items; may be null to drop silently
   * @throws IllegalArgumentException if {@code length} is negative
   */
  public static <T> Iterable<T> sortedWindow(
      Iterable<? extends T> items,
      Duration length,
      TimeGetter<? super T> timeGetter,
      DropHandler<? super T> onDrop) {
    Objects.requireNonNull(items, "items must not be null");
    Objects.requireNonNull(timeGetter, "timeGetter must not be null");
    Objects.requireNonNull(length, "length must not be null");
    if (length.isNegative()) {
      throw new IllegalArgumentException("length must not be negative: " + length);
    }
    return () -> new SortedWindow<>(items.iterator(), length, timeGetter, onDrop);
  }

  /** {@link #sortedWindow(Iterable, Duration, TimeGetter, DropHandler)} dropping silently. */
  public static <T> Iterable<T> sortedWindow(
      Iterable<? extends T> items, Duration length, TimeGetter<? super T> timeGetter) {
    return sortedWindow(items, length, timeGetter, null);
  }

  /**
   * The items of one bucket out of {@code count}: those at positions {@code p} with {@code p %
   * count == index}. Handy in an {@link InputBuilder} to give each worker a disjoint share.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < count}
   */
  public static <T> Iterable<T> distribute(Iterable<? extends T> items, int index, int count) {
    Objects.requireNonNull(items, "items must not be null");
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "index must be in [0, count) and count at least 1: index " + index + ", count " + count);
    }
    return () ->
        new Iterator<T>() {
          private final Iterator<? extends T> source = items.iterator();
          private long position;
          private T next;
          private boolean ready;

          @Override
          public boolean hasNext() {
            while (!ready && source.hasNext()) {
              T item = source.next();
              if (position++ % count == index) {
                next = item;
                ready = true;
              }
            }
            return ready;
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            ready = false;
            T item = next;
            next = null;
            return item;
          }
        };
  }

  private static void requirePositive(Duration length) {
    Objects.requireNonNull(length, "length must not be null");
    if (length.isZero() || length.isNegative()) {
      throw new IllegalArgumentException("length must be positive: " + length);
    }
  }

  private static <T> Instant time(TimeGetter<? super T> getter, T item) {
    Instant time;
    try {
      time = getter.timeOf(item);
    } catch (Exception e) {
      throw Engine.sneaky(e);
    }
    return Objects.requireNonNull(time, () -> "timeGetter returned null for " + item);
  }

  private interface Step<T, R> {
    R apply(T item);
  }

  private static <T, R> Iterator<R> map(Iterator<? extends T> source, Step<T, R> step) {
    return new Iterator<R>() {
      @Override
      public boolean hasNext() {
        return source.hasNext();
      }

      @Override
      public R next() {
        return step.apply(source.next());
      }
    };
  }

  private static final class SortedWindow<T> implements Iterator<T> {
    private final Iterator<? extends T> source;
    private final Duration length;
    private final TimeGetter<? super T> timeGetter;
    private final DropHandler<? super T> onDrop;
    private final PriorityQueue<Entry<T>> buffer = new PriorityQueue<>();
    private final ArrayDeque<T> ready = new ArrayDeque<>();
    private Instant newest;
    private Instant dropLine;
    private long sequence;
    private boolean ended;

    SortedWindow(
        Iterator<? extends T> source,
        Duration length,
        TimeGetter<? super T> timeGetter,
        DropHandler<? super T> onDrop) {
      this.source = source;
      this.length = length;
      this.timeGetter = timeGetter;
      this.onDrop = onDrop;
    }

    @Override
    public boolean hasNext() {
      while (ready.isEmpty() && !ended) {
        if (source.hasNext()) {
          take(source.next());
        } else {
          ended = true;
          while (!buffer.isEmpty()) {
            ready.add(buffer.poll().item);
          }
        }
      }
      return !ready.isEmpty();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void take(T item) {
      Instant time = time(timeGetter, item);
      if (dropLine != null && !time.isAfter(dropLine)) {
        if (onDrop != null) {
          try {
            onDrop.dropped(item);
          } catch (Exception e) {
            throw Engine.sneaky(e);
          }
        }
        return;
      }
      buffer.add(new Entry<>(time, sequence++, item));
      if (newest == null || time.isAfter(newest)) {
        newest = time;
        dropLine = time.minus(length);
        while (!buffer.isEmpty() && !buffer.peek().time.isAfter(dropLine)) {
          ready.add(buffer.poll().item);
        }
      }
    }
  }

  private static final class Entry<T> implements Comparable<Entry<T>> {
    final Instant time;
    final long sequence;
    final T item;

    Entry(Instant time, long sequence, T item) {
      this.time = time;
      this.sequence = sequence;
      this.item = item;
    }

    @Override
    public int compareTo(Entry<T> other) {
      int byTime = time.compareTo(other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
