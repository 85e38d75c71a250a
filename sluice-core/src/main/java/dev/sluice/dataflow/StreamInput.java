package dev.sluice.dataflow;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.StreamMetadata;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The records of an {@link EventStream} between two offsets, fixed when the input is created, read
 * lazily in pages as it is iterated: a dataflow input over a persistent stream.
 *
 * <pre>{@code
 * StreamInput<Order> orders = StreamInput.upToEnd(store.stream("orders", Order.class));
 * Execution.spawnCluster(
 *     flow,
 *     (i, n) -> StreamInput.epochsByOffset(orders.share(i, n), 1_000),  // or tumblingEpoch
 *     Outputs.toStream(store.stream("totals", Total.class)),
 *     1, 4);
 * }</pre>
 *
 * <p>Records appended after the input was created are not read, so a run over it ends. Give the
 * records epochs with {@link #epochsByOffset}, or by store timestamp with {@code
 * Inputs.tumblingEpoch(input, length, Record::timestamp)}: store timestamps never decrease along
 * offsets, so either way the epochs of a share do not decrease. Dataflow state is not recovered
 * after a restart in this version: a new run starts from the offsets it is given.
 *
 * <p>Immutable and thread-safe; each iterator is for one thread and reads through the stream, which
 * is thread-safe.
 *
 * @param <T> the value type of the stream
 */
public final class StreamInput<T> implements Iterable<Record<T>> {
  /** Records per read from the store. */
  static final int PAGE = 1_000;

  private final EventStream<T> stream;
  private final long from;
  private final long to;

  private StreamInput(EventStream<T> stream, long from, long to) {
    this.stream = stream;
    this.from = from;
    this.to = to;
  }

  /** The records of {@code stream} from its first offset held up to its end now. */
  public static <T> StreamInput<T> upToEnd(EventStream<T> stream) {
    Objects.requireNonNull(stream, "stream must not be null");
    StreamMetadata metadata = stream.metadata();
    return new StreamInput<>(stream, metadata.firstOffset(), metadata.nextOffset());
  }

  /**
   * The records of {@code stream} at offsets {@code [from, to)}.
   *
   * @throws IllegalArgumentException if {@code from} is negative or above {@code to}
   */
  public static <T> StreamInput<T> range(EventStream<T> stream, long from, long to) {
    Objects.requireNonNull(stream, "stream must not be null");
    if (from < 0 || from > to) {
      throw new IllegalArgumentException(
          "offsets must satisfy 0 <= from <= to: from " + from + ", to " + to);
    }
    return new StreamInput<>(stream, from, to);
  }

  /**
   * Gives every record the epoch {@code offset / recordsPerEpoch}: consecutive offset buckets.
   *
   * @throws IllegalArgumentException if {@code recordsPerEpoch} is below 1
   */
  public static <T> Iterable<Epoched<Record<T>>> epochsByOffset(
      Iterable<Record<T>> records, long recordsPerEpoch) {
    Objects.requireNonNull(records, "records must not be null");
    if (recordsPerEpoch < 1) {
      throw new IllegalArgumentException("recordsPerEpoch must be at least 1: " + recordsPerEpoch);
    }
    return () -> {
      Iterator<Record<T>> source = records.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return source.hasNext();
        }

        @Override
        public Epoched<Record<T>> next() {
          Record<T> record = source.next();
          return new Epoched<>(Math.floorDiv(record.offset(), recordsPerEpoch), record);
        }
      };
    };
  }

  /** The first offset of the range. */
  public long from() {
    return from;
  }

  /** The offset just past the range. */
  public long to() {
    return to;
  }

  /**
   * The {@code index}-th of {@code count} contiguous, disjoint parts of this range, which together
   * cover it; for an {@link InputBuilder}: {@code (i, n) -> input.share(i, n)}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < count}
   */
  public StreamInput<T> share(int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "index must be in [0, count) and count at least 1: index " + index + ", count " + count);
    }
    return new StreamInput<>(stream, boundary(index, count), boundary(index + 1, count));
  }

  private long boundary(int part, int count) {
    long length = to - from;
    return from + part * (length / count) + Math.min(part, length % count);
  }

  @Override
  public Iterator<Record<T>> iterator() {
    return new Iterator<>() {
      private long next = from;
      private List<Record<T>> page = List.of();
      private int position;

      @Override
      public boolean hasNext() {
        if (position < page.size()) {
          return true;
        }
        if (next >= to) {
          return false;
        }
        page = stream.read(next, (int) Math.min(PAGE, to - next));
        position = 0;
        if (page.isEmpty()) {
          // Records below next were removed by retention, or the stream was cleared: stop.
          next = to;
          return false;
        }
        int inRange = 0;
        while (inRange < page.size() && page.get(inRange).offset() < to) {
          inRange++;
        }
        page = page.subList(0, inRange);
        next = page.isEmpty() ? to : page.get(page.size() - 1).offset() + 1;
        return !page.isEmpty();
      }

      @Override
      public Record<T> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(position++);
      }
    };
  }

  @Override
  public String toString() {
    return "StreamInput[" + stream.name() + " " + from + ".." + to + ")";
  }
}
