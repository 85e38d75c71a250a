package dev.sluice.kafka.internal;

import dev.sluice.EmitterContext;
import dev.sluice.Record;
import dev.sluice.WindowBounds;
import dev.sluice.WindowEmitter;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The records of one assigned partition from the group's cursor on, and the windows formed over
 * them. Owned by one worker thread.
 *
 * <p>The committed Kafka offset is the cursor; the commit's metadata carries the sequence number of
 * the last window and its bounds ({@link CommitMeta}), so whoever owns the partition next continues
 * the same windows.
 */
final class PartitionWindows<T> {
  final int partition;
  private final ArrayDeque<Record<T>> buffer = new ArrayDeque<>();
  private long cursor;
  private long polledTo; // the offset after the last record polled
  private long seq;
  private WindowBounds last;

  PartitionWindows(int partition, long cursor, CommitMeta meta) {
    this.partition = partition;
    this.cursor = cursor;
    this.polledTo = cursor;
    this.seq = meta == null ? 0 : meta.seq();
    this.last = meta == null ? null : meta.last();
  }

  void add(Record<T> r) {
    buffer.addLast(r);
    polledTo = Math.max(polledTo, r.offset() + 1);
  }

  /** Marks offsets up to {@code next} as polled (a skipped, undecodable record or a marker). */
  void polled(long next) {
    polledTo = Math.max(polledTo, next);
    if (buffer.isEmpty()) {
      cursor = Math.max(cursor, next);
    }
  }

  long cursor() {
    return cursor;
  }

  long seq() {
    return seq;
  }

  /** A window that is ready, fixed but not yet committed. */
  record Formed<T>(long seq, WindowBounds bounds, List<Record<T>> records, long nextCursor) {}

  /**
   * Asks the emitter for the next window. A time window is formed only when every record stamped
   * before its end was polled: a record stamped at or after the end is held, or the partition was
   * read to its end ({@code caughtUp}) and {@code now} is past the end.
   */
  Optional<Formed<T>> next(
      WindowEmitter<? super T> emitter,
      Instant now,
      boolean caughtUp,
      boolean emitEmpty,
      int maxEmptyCatchUp) {
    Context ctx = new Context(now, emitEmpty, maxEmptyCatchUp);
    Optional<WindowBounds> maybe = emitter.next(ctx);
    if (maybe.isEmpty()) {
      return Optional.empty();
    }
    WindowBounds b = maybe.get();
    List<Record<T>> in = new ArrayList<>();
    long next;
    if (!b.isTime()) {
      if (b.firstOffset() != ctx.cursor()) {
        throw new IllegalStateException(
            "the window emitter returned offsets "
                + b.firstOffset()
                + ".."
                + b.lastOffset()
                + " but a window must start at the group's cursor "
                + ctx.cursor());
      }
      for (Record<T> r : buffer) {
        if (r.offset() > b.lastOffset()) {
          break;
        }
        if (r.offset() >= b.firstOffset()) {
          in.add(r);
        }
      }
      next = b.lastOffset() + 1;
    } else {
      long end = b.end().toEpochMilli();
      boolean proof = !buffer.isEmpty() && buffer.peekLast().timestamp().toEpochMilli() >= end;
      if (!proof && !caughtUp) {
        return Optional.empty();
      }
      long resume = b.resumeAt().toEpochMilli();
      next = -1;
      for (Record<T> r : buffer) {
        long ts = r.timestamp().toEpochMilli();
        if (ts < end) {
          in.add(r);
        }
        if (next < 0 && ts >= resume) {
          next = r.offset();
        }
        if (ts >= end && next >= 0) {
          break;
        }
      }
      if (next < 0) {
        next = polledTo;
      }
    }
    return Optional.of(new Formed<>(seq + 1, b, in, next));
  }

  /** The window is committed: moves the cursor past it. */
  void done(Formed<T> w) {
    seq = w.seq();
    last = w.bounds();
    cursor = w.nextCursor();
    Iterator<Record<T>> it = buffer.iterator();
    while (it.hasNext() && it.next().offset() < cursor) {
      it.remove();
    }
  }

  CommitMeta metaAfter(Formed<T> w) {
    return new CommitMeta(w.seq(), w.bounds());
  }

  private final class Context implements EmitterContext<T> {
    private final Instant now;
    private final boolean emitEmpty;
    private final int maxEmptyCatchUp;

    Context(Instant now, boolean emitEmpty, int maxEmptyCatchUp) {
      this.now = now;
      this.emitEmpty = emitEmpty;
      this.maxEmptyCatchUp = maxEmptyCatchUp;
    }

    @Override
    public long cursor() {
      return buffer.isEmpty() ? cursor : buffer.peekFirst().offset();
    }

    @Override
    public long available() {
      return buffer.size();
    }

    @Override
    public List<Record<T>> peek(int max) {
      List<Record<T>> out = new ArrayList<>(Math.min(max, buffer.size()));
      for (Record<T> r : buffer) {
        if (out.size() >= max) {
          break;
        }
        out.add(r);
      }
      return out;
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Optional<WindowBounds> last() {
      return Optional.ofNullable(last);
    }

    @Override
    public boolean emitEmpty() {
      return emitEmpty;
    }

    @Override
    public int maxEmptyCatchUp() {
      return maxEmptyCatchUp;
    }
  }
}
