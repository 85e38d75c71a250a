package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.internal.consumer.WindowResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The built-in emitters against a simulated store and group: records arrive at random times, the
 * consumer polls at random times, and time windows are resolved and close the timestamp floor as a
 * store's claim does.
 */
class WindowsPropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A store's stream and one group, on a manual clock, in milliseconds. */
  static final class Sim {
    final List<Record<Object>> records = new ArrayList<>();
    final List<long[]> windows = new ArrayList<>(); // first, last, start, end, floorBefore
    final List<WindowBounds> bounds = new ArrayList<>();
    final List<Long> closedBeforeAppend =
        new ArrayList<>(); // per record: max end of closed windows
    final WindowEmitter<Object> emitter;
    final boolean emitEmpty;
    final int catchUp;
    long now = T0.toEpochMilli();
    long floor;
    long cursor;
    WindowBounds last;
    int emptyProposals;
    Long due; // the earliest recheckAt of the last call, in milliseconds
    int rechecksChecked;

    Sim(WindowEmitter<Object> emitter, boolean emitEmpty, int catchUp) {
      this.emitter = emitter;
      this.emitEmpty = emitEmpty;
      this.catchUp = catchUp;
    }

    void append(int n) {
      long ts = Math.max(now, floor);
      long closed =
          bounds.stream()
              .filter(WindowBounds::isTime)
              .mapToLong(b -> b.end().toEpochMilli())
              .max()
              .orElse(Long.MIN_VALUE);
      for (int i = 0; i < n; i++) {
        closedBeforeAppend.add(closed);
        records.add(new Record<>("s", 0, records.size(), Instant.ofEpochMilli(ts), null, i));
      }
      floor = ts;
    }

    void poll() {
      for (int guard = 0; guard < 10_000; guard++) {
        Optional<WindowBounds> next = ask(now);
        if (next.isEmpty()) {
          checkRecheck();
          return;
        }
        WindowBounds b = next.get();
        WindowResolver.Resolved r =
            WindowResolver.resolve(b, cursor, records.subList((int) cursor, records.size()));
        bounds.add(b); // claimed or skipped, its time window is closed
        if (b.isTime()) {
          floor = Math.max(floor, b.end().toEpochMilli());
        }
        cursor = r.nextCursor();
        last = b;
        if (r.isEmpty() && !emitEmpty) {
          emptyProposals++; // as the engine does: the group moves past it, nobody handles it
          continue;
        }
        windows.add(
            new long[] {
              r.firstOffset(), r.lastOffset(), b.start().toEpochMilli(), b.end().toEpochMilli()
            });
      }
      throw new AssertionError("the emitter never stopped emitting at " + now);
    }

    private Optional<WindowBounds> ask(long at) {
      long was = now;
      now = at;
      due = null;
      try {
        return emitter.next(context());
      } finally {
        now = was;
      }
    }

    /**
     * An idle consumer sleeps until the time the emitter named with recheckAt, or until an append
     * if it named none: no window may become due earlier by time alone.
     */
    private void checkRecheck() {
      Long until = due;
      long[] earlier =
          until == null
              ? new long[] {now + 1, now + 1_000, now + 86_400_000L}
              : new long[] {now, now + (until - now) / 2, until - 1};
      for (long t : earlier) {
        if (t >= now && (until == null || t < until)) {
          assertThat(ask(t))
              .as("a window is due at %d, before the recheck at %s (now %d)", t, until, now)
              .isEmpty();
        }
      }
      if (until != null) {
        assertThat(until).as("recheck after now").isGreaterThan(now);
        Optional<WindowBounds> then = ask(until);
        assertThat(then.isPresent() || (due != null && due > until))
            .as("at the recheck %d a window is due or a later recheck is named", until)
            .isTrue();
      }
      due = until;
      rechecksChecked++;
    }

    EmitterContext<Object> context() {
      return new EmitterContext<>() {
        @Override
        public void recheckAt(Instant when) {
          long t = when.toEpochMilli();
          due = due == null ? t : Math.min(due, t);
        }

        @Override
        public long cursor() {
          return cursor;
        }

        @Override
        public long available() {
          return records.size() - cursor;
        }

        @Override
        public List<Record<Object>> peek(int max) {
          return List.copyOf(
              records.subList((int) cursor, (int) Math.min(records.size(), cursor + max)));
        }

        @Override
        public Instant now() {
          return Instant.ofEpochMilli(now);
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
          return catchUp;
        }
      };
    }

    /** Random arrivals and polls, then time enough for everything to close. */
    void run(Random random, int steps, long maxGapMillis, long flushMillis) {
      for (int i = 0; i < steps; i++) {
        switch (random.nextInt(3)) {
          case 0 -> append(1 + random.nextInt(5));
          case 1 -> now += random.nextInt((int) maxGapMillis + 1);
          default -> poll();
        }
      }
      now += flushMillis;
      poll();
    }

    /** How many windows hold each record. */
    int[] coverage() {
      int[] seen = new int[records.size()];
      for (long[] w : windows) {
        for (long o = w[0]; o >= 0 && o <= w[1]; o++) {
          seen[(int) o]++;
        }
      }
      return seen;
    }
  }

  @Property(tries = 200)
  void anIdleConsumerSleepingUntilTheRecheckNeverClosesAWindowLate(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 5) int kind,
      @ForAll boolean emitEmpty,
      @ForAll @IntRange(min = 1, max = 300) int millis) {
    Duration d = Duration.ofMillis(millis);
    WindowEmitter<Object> emitter =
        switch (kind) {
          case 0 -> Windows.count(3);
          case 1 -> Windows.count(3).orAfter(d);
          case 2 -> Windows.fixed(d);
          case 3 -> Windows.relaxed(d);
          case 4 -> Windows.sliding(d.multipliedBy(2), d);
          default -> Windows.session(d, d.multipliedBy(3));
        };
    Sim sim = new Sim(emitter, emitEmpty, 3);
    sim.run(new Random(seed), 200, 150, 5L * millis);
    assertThat(sim.rechecksChecked).isPositive();
  }

  @Property(tries = 150)
  void countWindowsHoldEveryRecordOnceInOrder(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int size) {
    Sim sim = new Sim(Windows.count(size), false, 1);
    sim.run(new Random(seed), 300, 50, 0);
    int[] coverage = sim.coverage();
    int fullWindows = sim.records.size() / size;
    assertThat(sim.windows).hasSize(fullWindows);
    for (int i = 0; i < fullWindows * size; i++) {
      assertThat(coverage[i]).as("record %d", i).isEqualTo(1);
    }
    for (int i = 0; i < sim.windows.size(); i++) {
      assertThat(sim.windows.get(i)[0]).isEqualTo((long) i * size);
      assertThat(sim.windows.get(i)[1] - sim.windows.get(i)[0] + 1).isEqualTo(size);
    }
  }

  @Property(tries = 150)
  void countWindowsWithOrAfterFlushEveryRecordOnce(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 20) int size) {
    Sim sim = new Sim(Windows.count(size).orAfter(Duration.ofMillis(100)), false, 1);
    sim.run(new Random(seed), 300, 50, 1_000);
    assertThat(sim.coverage()).containsOnly(1);
    for (long[] w : sim.windows) {
      assertThat(w[1] - w[0] + 1).isBetween(1L, (long) size);
    }
  }

  @Property(tries = 150)
  void fixedWindowsHoldEveryRecordOnceInsideHalfOpenAlignedBounds(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 500) int sizeMillis) {
    Sim sim = new Sim(Windows.fixed(Duration.ofMillis(sizeMillis)), false, 1);
    sim.run(new Random(seed), 300, 200, 10L * sizeMillis);
    assertThat(sim.coverage()).containsOnly(1);
    assertThat(sim.emptyProposals).as("no empty windows unless asked").isZero();
    long previousEnd = Long.MIN_VALUE;
    for (long[] w : sim.windows) {
      assertThat(w[2] % sizeMillis).isZero();
      assertThat(w[3] - w[2]).isEqualTo(sizeMillis);
      assertThat(w[2]).isGreaterThanOrEqualTo(previousEnd);
      previousEnd = w[3];
      for (long o = w[0]; o <= w[1]; o++) {
        long ts = sim.records.get((int) o).timestamp().toEpochMilli();
        assertThat(ts).isGreaterThanOrEqualTo(w[2]).isLessThan(w[3]);
      }
    }
  }

  @Property(tries = 150)
  void noRecordIsStampedIntoAClosedWindow(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int sizeMillis) {
    Sim sim = new Sim(Windows.fixed(Duration.ofMillis(sizeMillis)), false, 1);
    Random random = new Random(seed);
    // The consumer's clock runs ahead of the producer's: appends are stamped with a lagging clock.
    for (int i = 0; i < 300; i++) {
      switch (random.nextInt(3)) {
        case 0 -> {
          long real = sim.now;
          sim.now -= random.nextInt(sizeMillis + 1);
          sim.append(1 + random.nextInt(3));
          sim.now = real;
        }
        case 1 -> sim.now += random.nextInt(100);
        default -> sim.poll();
      }
    }
    sim.now += 10L * sizeMillis;
    sim.poll();
    assertThat(sim.coverage()).containsOnly(1);
    for (Record<Object> r : sim.records) {
      assertThat(r.timestamp().toEpochMilli())
          .as("record %d is stamped after every window closed before it", r.offset())
          .isGreaterThanOrEqualTo(sim.closedBeforeAppend.get((int) r.offset()));
    }
    long previousEnd = Long.MIN_VALUE;
    for (long[] w : sim.windows) {
      assertThat(w[2]).as("one window per interval").isGreaterThanOrEqualTo(previousEnd);
      previousEnd = w[3];
      for (long o = w[0]; o <= w[1]; o++) {
        long ts = sim.records.get((int) o).timestamp().toEpochMilli();
        assertThat(ts).isGreaterThanOrEqualTo(w[2]).isLessThan(w[3]);
      }
    }
  }

  @Property(tries = 150)
  void relaxedWindowsHoldEveryRecordOnceAndFollowEachOther(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 500) int intervalMillis) {
    Sim sim = new Sim(Windows.relaxed(Duration.ofMillis(intervalMillis)), false, 1);
    sim.run(new Random(seed), 300, 200, 10L * intervalMillis);
    assertThat(sim.coverage()).containsOnly(1);
    for (int i = 0; i < sim.windows.size(); i++) {
      long[] w = sim.windows.get(i);
      assertThat(w[3] - w[2]).isGreaterThanOrEqualTo(intervalMillis);
      if (i > 0) {
        assertThat(w[2])
            .as("each window starts where the last ended")
            .isEqualTo(sim.windows.get(i - 1)[3]);
      }
    }
  }

  @Property(tries = 100)
  void slidingWindowsHoldEachRecordInEveryWindowThatSpansIt(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 5) int slides,
      @ForAll @IntRange(min = 1, max = 100) int slideMillis) {
    int size = slides * slideMillis;
    Sim sim =
        new Sim(Windows.sliding(Duration.ofMillis(size), Duration.ofMillis(slideMillis)), false, 1);
    sim.run(new Random(seed), 200, 100, 10L * size);
    for (long[] w : sim.windows) {
      for (Record<Object> r : sim.records) {
        long ts = r.timestamp().toEpochMilli();
        boolean inside = r.offset() >= w[0] && r.offset() <= w[1];
        assertThat(inside)
            .as("record at %d in window [%d, %d)", ts, w[2], w[3])
            .isEqualTo(ts >= w[2] && ts < w[3]);
      }
    }
    // Each record is in every window that spans it: exactly size / slide of them.
    assertThat(sim.coverage()).containsOnly(slides);
  }

  @Property(tries = 100)
  void sessionWindowsSplitAtGapsAndHoldEveryRecordOnce(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int gapMillis) {
    Sim sim =
        new Sim(
            Windows.session(Duration.ofMillis(gapMillis), Duration.ofMillis(10L * gapMillis)),
            false,
            1);
    sim.run(new Random(seed), 300, 2L * gapMillis, 20L * gapMillis);
    assertThat(sim.coverage()).containsOnly(1);
    for (long[] w : sim.windows) {
      for (long o = w[0] + 1; o <= w[1]; o++) {
        long gap =
            sim.records.get((int) o).timestamp().toEpochMilli()
                - sim.records.get((int) o - 1).timestamp().toEpochMilli();
        assertThat(gap).isLessThan(gapMillis);
      }
      assertThat(w[3] - w[2]).isLessThan(10L * gapMillis);
    }
  }

  @Test
  void emptyFixedWindowsOnlyWhenAskedAndAtMostTheCatchUpAfterDowntime() {
    Sim sim = new Sim(Windows.fixed(Duration.ofSeconds(1)), true, 2);
    sim.append(1);
    sim.now += 1_000;
    sim.poll();
    assertThat(sim.windows).hasSize(1);
    sim.now += 60_000; // a minute of downtime with no records
    sim.poll();
    assertThat(sim.windows).as("two most recent empty windows, not sixty").hasSize(3);
    assertThat(sim.windows.get(1)[0]).isEqualTo(-1);
    assertThat(sim.windows.get(2)[3]).isLessThanOrEqualTo(sim.now);
    sim.now += 1_000;
    sim.poll();
    assertThat(sim.windows).as("live: one empty window per interval").hasSize(4);
    assertThat(sim.windows.get(3)[2]).isEqualTo(sim.windows.get(2)[3]);

    Sim quiet = new Sim(Windows.fixed(Duration.ofSeconds(1)), false, 2);
    quiet.append(1);
    quiet.now += 60_000;
    quiet.poll();
    quiet.append(1);
    quiet.now += 60_000;
    quiet.poll();
    assertThat(quiet.windows).hasSize(2).allMatch(w -> w[0] >= 0);
  }

  @Test
  void badSizesAreRejectedWithTheValue() {
    assertThatThrownBy(() -> Windows.count(0)).hasMessageContaining("at least 1: 0");
    assertThatThrownBy(() -> Windows.fixed(Duration.ZERO)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> Windows.sliding(Duration.ofSeconds(1), Duration.ofSeconds(2)))
        .hasMessageContaining("must not exceed");
    assertThatThrownBy(() -> Windows.count(5).orAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
