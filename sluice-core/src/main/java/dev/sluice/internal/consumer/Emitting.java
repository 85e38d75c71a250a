package dev.sluice.internal.consumer;

import dev.sluice.EmitterContext;
import dev.sluice.Record;
import dev.sluice.WindowBounds;
import dev.sluice.WindowEmitter;
import dev.sluice.internal.consumer.Coordinator.Snapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Asks a job's window emitter for the next window, showing it a group's snapshot. */
final class Emitting<T> {
  private final WindowEmitter<? super T> emitter;
  private final PeekBuffer<T> buffer;
  private final boolean emitEmpty;
  private final int maxEmptyCatchUp;

  Emitting(
      WindowEmitter<? super T> emitter, PeekBuffer<T> buffer, boolean emitEmpty, int maxEmpty) {
    this.emitter = emitter;
    this.buffer = buffer;
    this.emitEmpty = emitEmpty;
    this.maxEmptyCatchUp = maxEmpty;
  }

  /** The next window at the snapshot's cursor, or empty if none is ready. */
  Optional<WindowBounds> decide(Snapshot snap, Instant now) {
    return decide(snap, now, null);
  }

  /**
   * As {@link #decide(Snapshot, Instant)}, telling {@code recheck} (if not null) when time alone
   * may change the answer.
   */
  Optional<WindowBounds> decide(Snapshot snap, Instant now, Recheck recheck) {
    long cursor = Math.max(snap.group().cursor(), snap.stream().firstOffset());
    if (cursor != snap.group().cursor()) {
      if (recheck != null) {
        recheck.soon(); // maintenance fixes the group, and its commit wakes us; this is cheap
      }
      return Optional.empty(); // retention moved past the cursor; maintenance fixes the group
    }
    Context ctx = new Context(snap, cursor, snap.stream().nextOffset(), now);
    Optional<WindowBounds> next = emitter.next(ctx);
    if (recheck != null && next.isEmpty()) {
      if (ctx.due != null) {
        recheck.at(ctx.due);
      } else if (ctx.clockRead) {
        recheck.soon(); // the emitter reads the clock but does not say when to look again
      }
    }
    return next;
  }

  /** The emitter's arrangement of a window's records (never null). */
  @SuppressWarnings("unchecked")
  List<Record<T>> arrange(List<Record<T>> records) {
    // Safe: an emitter of a supertype of T rearranges the records it is given.
    List<Record<T>> arranged =
        ((WindowEmitter<T>) emitter).arrange(new java.util.ArrayList<>(records));
    return arranged == null ? List.of() : arranged;
  }

  private final class Context implements EmitterContext<T> {
    private final Snapshot snap;
    private final long cursor;
    private final long next;
    private final Instant now;
    private boolean clockRead;
    private Instant due;

    Context(Snapshot snap, long cursor, long next, Instant now) {
      this.snap = snap;
      this.cursor = cursor;
      this.next = next;
      this.now = now;
    }

    @Override
    public long cursor() {
      return cursor;
    }

    @Override
    public long available() {
      return Math.max(0, next - cursor);
    }

    @Override
    public List<Record<T>> peek(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("peek max must not be negative: " + max);
      }
      return max == 0 ? List.of() : buffer.peek(cursor, next, max);
    }

    @Override
    public Instant now() {
      clockRead = true;
      return now;
    }

    @Override
    public void recheckAt(Instant when) {
      java.util.Objects.requireNonNull(when, "when");
      if (due == null || when.isBefore(due)) {
        due = when;
      }
    }

    @Override
    public Optional<WindowBounds> last() {
      return Optional.ofNullable(snap.group().last());
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
