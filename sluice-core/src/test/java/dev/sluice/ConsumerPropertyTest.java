package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every record is in exactly one window of a group, whatever the arrival times, window sizes and
 * number of workers: real consumers on the in-memory store, driven by a manual clock.
 */
class ConsumerPropertyTest {
  enum Kind {
    COUNT,
    FIXED,
    RELAXED
  }

  private static WindowEmitter<Object> emitter(Kind kind, int size) {
    return switch (kind) {
      case COUNT -> Windows.count(size).orAfter(Duration.ofMillis(100));
      case FIXED -> Windows.fixed(Duration.ofMillis(size * 10L));
      case RELAXED -> Windows.relaxed(Duration.ofMillis(size * 10L));
    };
  }

  @Property(tries = 60)
  void workersTakingTurnsSeeEveryRecordOnce(
      @ForAll long seed,
      @ForAll Kind kind,
      @ForAll @IntRange(min = 1, max = 20) int size,
      @ForAll @IntRange(min = 1, max = 5) int workers) {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (Store store = Sluice.open("mem:", StoreOptions.defaults().clock(clock))) {
      var s = store.stream("t");
      List<Streaming<Map<String, Object>>> pool = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        pool.add(store.streaming("t").group("g").window(emitter(kind, size)));
      }
      Map<Long, Integer> seen = new ConcurrentHashMap<>();
      List<long[]> windows = new ArrayList<>();
      WindowHandler<Map<String, Object>> h =
          w -> {
            windows.add(new long[] {w.firstOffset(), w.lastOffset()});
            for (Record<Map<String, Object>> r : w.records()) {
              seen.merge(r.offset(), 1, Integer::sum);
              if (kind == Kind.FIXED) {
                assertThat(r.timestamp()).isAfterOrEqualTo(w.start()).isBefore(w.end());
              }
            }
          };
      Random random = new Random(seed);
      long appended = 0;
      for (int step = 0; step < 200; step++) {
        switch (random.nextInt(3)) {
          case 0 -> {
            int n = 1 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
              s.append(Map.of("i", appended++));
            }
          }
          case 1 -> clock.advance(Duration.ofMillis(random.nextInt(60)));
          default -> pool.get(random.nextInt(workers)).once(h);
        }
      }
      clock.advance(Duration.ofSeconds(10));
      for (Streaming<Map<String, Object>> w : pool) {
        while (w.once(h)) {}
      }
      assertThat(seen).hasSize((int) appended);
      assertThat(seen.values()).containsOnly(1);
      for (int i = 1; i < windows.size(); i++) {
        assertThat(windows.get(i)[0]).isEqualTo(windows.get(i - 1)[1] + 1);
      }
      assertThat(s.groups().get(0).committed()).isEqualTo(appended);
    }
  }

  @Property(tries = 15)
  void concurrentWorkersSeeEveryRecordOnce(
      @ForAll long seed,
      @ForAll Kind kind,
      @ForAll @IntRange(min = 1, max = 10) int size,
      @ForAll @IntRange(min = 1, max = 5) int workers)
      throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (Store store = Sluice.open("mem:", StoreOptions.defaults().clock(clock))) {
      var s = store.stream("t");
      Map<Long, Integer> seen = new ConcurrentHashMap<>();
      Random random = new Random(seed);
      long appended = 0;
      WindowHandler<Map<String, Object>> h =
          w -> w.records().forEach(r -> seen.merge(r.offset(), 1, Integer::sum));
      // Two jobs of one group, as two processes would be: their claims race.
      try (StreamingJob job =
              store.streaming("t").window(emitter(kind, size)).workers(workers).start(h);
          StreamingJob other =
              store.streaming("t").window(emitter(kind, size)).workers(workers).start(h)) {
        for (int step = 0; step < 100; step++) {
          if (random.nextBoolean()) {
            s.append(Map.of("i", appended++));
          } else {
            clock.advance(Duration.ofMillis(random.nextInt(30)));
          }
          if (random.nextInt(10) == 0) {
            Thread.sleep(1);
          }
        }
        clock.advance(Duration.ofSeconds(10));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.groups().get(0).committed() < appended && System.nanoTime() < until) {
          Thread.sleep(2);
        }
        assertThat(job.failure()).isEmpty();
        assertThat(other.failure()).isEmpty();
      }
      assertThat(seen).hasSize((int) appended);
      assertThat(seen.values()).containsOnly(1);
    }
  }
}
