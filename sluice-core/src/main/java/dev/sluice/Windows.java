package dev.sluice;

import com.google.errorprone.annotations.CheckReturnValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The usual window emitters. Each is immutable and works for any value type.
 *
 * <ul>
 *   <li>{@link #count(int)}: every {@code n} records; {@code .orAfter(d)} also flushes a partial
 *       window once its first record is {@code d} old.
 *   <li>{@link #fixed(Duration)}: tumbling windows aligned to the epoch, half-open {@code [start,
 *       end)}, emitted once the store clock passes {@code end}.
 *   <li>{@link #relaxed(Duration)}: every interval, all records since the last window.
 *   <li>{@link #sliding(Duration, Duration)}: windows of one size starting every {@code slide},
 *       aligned to the epoch; a record may be in several.
 *   <li>{@link #session(Duration, Duration)}: records closer than {@code gap} to the previous one,
 *       for at most {@code maxDuration}.
 * </ul>
 *
 * <p>Time windows are over the store's timestamps (commit time), which never decrease along
 * offsets, so each is a contiguous offset range. Empty time windows are emitted only when the
 * consumer asks for them ({@code emitEmpty(true)}), and after downtime at most {@code
 * maxEmptyCatchUp} of the most recent ones, not one per missed interval.
 */
public final class Windows {
  private static final int MAX_SESSION_RECORDS = 100_000;

  private Windows() {}

  /**
   * Windows of {@code n} records each.
   *
   * @throws IllegalArgumentException if {@code n} is less than 1
   */
  public static CountEmitter count(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("window size must be at least 1: " + n);
    }
    return new CountEmitter(n, null);
  }

  /** Tumbling windows of a fixed duration, aligned to the epoch. */
  public static WindowEmitter<Object> fixed(Duration size) {
    long d = positiveMillis("fixed window size", size);
    return ctx -> fixedNext(ctx, d);
  }

  /** Every {@code interval}, a window of all records since the last window. */
  public static WindowEmitter<Object> relaxed(Duration interval) {
    long d = positiveMillis("relaxed window interval", interval);
    return ctx -> relaxedNext(ctx, d);
  }

  /**
   * Windows of {@code size} starting every {@code slide}, aligned to the epoch.
   *
   * @throws IllegalArgumentException if a duration is not positive or {@code slide > size}
   */
  public static WindowEmitter<Object> sliding(Duration size, Duration slide) {
    long s = positiveMillis("sliding window size", size);
    long step = positiveMillis("sliding window slide", slide);
    if (step > s) {
      throw new IllegalArgumentException(
          "sliding window slide must not exceed its size: slide " + slide + " > size " + size);
    }
    return ctx -> slidingNext(ctx, s, step);
  }

  /**
   * Session windows: a window closes when the next record is {@code gap} or more after the previous
   * one, or when it would span {@code maxDuration}; it is emitted once the store clock is {@code
   * gap} past its last record (or {@code maxDuration} past its first).
   */
  public static WindowEmitter<Object> session(Duration gap, Duration maxDuration) {
    long g = positiveMillis("session gap", gap);
    long max = positiveMillis("session maxDuration", maxDuration);
    return ctx -> sessionNext(ctx, g, max);
  }

  /** Windows of {@code n} records, optionally flushed early when old. Immutable. */
  @CheckReturnValue
  public static final class CountEmitter implements WindowEmitter<Object> {
    private final int size;
    private final Duration flushAfter;

    private CountEmitter(int size, Duration flushAfter) {
      this.size = size;
      this.flushAfter = flushAfter;
    }

    /** Also emits a partial window once its first record is {@code age} old. */
    public CountEmitter orAfter(Duration age) {
      positiveMillis("orAfter", age);
      return new CountEmitter(size, age);
    }

    @Override
    public Optional<WindowBounds> next(EmitterContext<?> ctx) {
      long available = ctx.available();
      if (available >= size) {
        return Optional.of(offsets(ctx, ctx.peek(size)));
      }
      if (flushAfter == null || available == 0) {
        return Optional.empty();
      }
      List<? extends Record<?>> pending = ctx.peek((int) available);
      Instant due = pending.get(0).timestamp().plus(flushAfter);
      if (ctx.now().isBefore(due)) {
        ctx.recheckAt(due);
        return Optional.empty();
      }
      return Optional.of(offsets(ctx, pending));
    }

    @Override
    public String toString() {
      return "count(" + size + (flushAfter == null ? ")" : ").orAfter(" + flushAfter + ")");
    }
  }

  private static WindowBounds offsets(EmitterContext<?> ctx, List<? extends Record<?>> records) {
    Record<?> first = records.get(0);
    Record<?> last = records.get(records.size() - 1);
    return WindowBounds.ofOffsets(
        first.offset(), last.offset(), first.timestamp(), last.timestamp());
  }

  private static Optional<WindowBounds> fixedNext(EmitterContext<?> ctx, long d) {
    Long firstTs = firstTimestamp(ctx);
    Long lastEnd =
        ctx.last().filter(WindowBounds::isTime).map(b -> b.end().toEpochMilli()).orElse(null);
    long catchUp = ctx.maxEmptyCatchUp();
    long start;
    if (firstTs != null) {
      long ofRecord = Math.floorDiv(firstTs, d) * d;
      start =
          ctx.emitEmpty() && lastEnd != null && ofRecord > lastEnd
              ? Math.max(lastEnd, ofRecord - catchUp * d)
              : ofRecord;
    } else if (ctx.emitEmpty() && lastEnd != null) {
      long current = Math.floorDiv(ctx.now().toEpochMilli(), d) * d;
      start = Math.max(lastEnd, current - catchUp * d);
    } else {
      return Optional.empty();
    }
    long end = start + d;
    if (ctx.now().toEpochMilli() < end) {
      ctx.recheckAt(Instant.ofEpochMilli(end)); // a later now only moves the start later
      return Optional.empty();
    }
    return Optional.of(WindowBounds.ofTime(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)));
  }

  private static Optional<WindowBounds> relaxedNext(EmitterContext<?> ctx, long d) {
    Long firstTs = firstTimestamp(ctx);
    Optional<Instant> lastEnd = ctx.last().filter(WindowBounds::isTime).map(WindowBounds::end);
    if (!ctx.emitEmpty() && firstTs == null) {
      return Optional.empty(); // only an append can make a window
    }
    long now = ctx.now().toEpochMilli();
    long start;
    if (lastEnd.isPresent()) {
      start = lastEnd.get().toEpochMilli();
    } else if (firstTs != null) {
      start = firstTs;
    } else {
      return Optional.empty();
    }
    if (now < start + d) {
      ctx.recheckAt(Instant.ofEpochMilli(start + d));
      return Optional.empty();
    }
    if (!ctx.emitEmpty() && firstTs >= now) {
      ctx.recheckAt(Instant.ofEpochMilli(firstTs + 1));
      return Optional.empty();
    }
    // After downtime the window still holds every record since the last one: relaxed windows have
    // no fixed length, so there is nothing to catch up.
    return Optional.of(WindowBounds.ofTime(Instant.ofEpochMilli(start), Instant.ofEpochMilli(now)));
  }

  private static Optional<WindowBounds> slidingNext(EmitterContext<?> ctx, long size, long slide) {
    Long firstTs = firstTimestamp(ctx);
    Optional<WindowBounds> last = ctx.last().filter(WindowBounds::isTime);
    if (!ctx.emitEmpty() && firstTs == null) {
      return Optional.empty(); // only an append can make a window
    }
    long now = ctx.now().toEpochMilli();
    long start;
    if (last.isPresent()) {
      start = last.get().start().toEpochMilli() + slide;
    } else if (firstTs != null) {
      start = earliestContaining(firstTs, size, slide);
    } else {
      return Optional.empty();
    }
    if (!ctx.emitEmpty()) {
      start = Math.max(start, earliestContaining(firstTs, size, slide));
    } else {
      long latestReady = Math.floorDiv(now - size, slide) * slide;
      start = Math.max(start, latestReady - (ctx.maxEmptyCatchUp() - 1L) * slide);
      if (firstTs != null) {
        // Catching up never skips the record at the cursor.
        start = Math.min(start, Math.floorDiv(firstTs, slide) * slide);
      }
    }
    long end = start + size;
    if (now < end) {
      ctx.recheckAt(Instant.ofEpochMilli(end)); // a later now only moves the start later
      return Optional.empty();
    }
    return Optional.of(
        WindowBounds.ofTime(
            Instant.ofEpochMilli(start),
            Instant.ofEpochMilli(end),
            Instant.ofEpochMilli(start + slide)));
  }

  private static long earliestContaining(long ts, long size, long slide) {
    return (Math.floorDiv(ts - size, slide) + 1) * slide;
  }

  private static Optional<WindowBounds> sessionNext(EmitterContext<?> ctx, long gap, long max) {
    long available = ctx.available();
    if (available == 0) {
      return Optional.empty();
    }
    List<? extends Record<?>> pending = ctx.peek((int) Math.min(available, MAX_SESSION_RECORDS));
    long first = pending.get(0).timestamp().toEpochMilli();
    long previous = first;
    for (int i = 1; i < pending.size(); i++) {
      long ts = pending.get(i).timestamp().toEpochMilli();
      if (ts - previous >= gap || ts - first >= max) {
        return Optional.of(offsets(ctx, pending.subList(0, i)));
      }
      previous = ts;
    }
    long now = ctx.now().toEpochMilli();
    boolean closed = now - previous >= gap || now - first >= max;
    if (closed || pending.size() == MAX_SESSION_RECORDS) {
      return Optional.of(offsets(ctx, pending));
    }
    ctx.recheckAt(Instant.ofEpochMilli(Math.min(previous + gap, first + max)));
    return Optional.empty();
  }

  private static Long firstTimestamp(EmitterContext<?> ctx) {
    if (ctx.available() == 0) {
      return null;
    }
    List<? extends Record<?>> first = ctx.peek(1);
    return first.isEmpty() ? null : first.get(0).timestamp().toEpochMilli();
  }

  private static long positiveMillis(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
      throw new IllegalArgumentException(what + " must be at least 1 ms: " + d);
    }
    return d.toMillis();
  }
}
