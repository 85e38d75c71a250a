package dev.sluice.server.internal;

import dev.sluice.Window;
import dev.sluice.WindowFunction;
import dev.sluice.WindowHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The windows the app's own consumers finished lately, with duration and outcome, for the
 * dashboard; and their timer, {@code sluice_window_duration_seconds}. Thread-safe.
 */
public final class WindowLog {
  /** One handled window (one attempt). */
  record Entry(
      String job,
      String id,
      String stream,
      String group,
      int size,
      long firstOffset,
      long lastOffset,
      int attempt,
      Instant finished,
      Duration duration,
      String outcome,
      String error) {}

  private final int capacity;
  private final Clock clock;
  private final MeterRegistry registry;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  WindowLog(int capacity, Clock clock, MeterRegistry registry) {
    this.capacity = capacity;
    this.clock = clock;
    this.registry = registry;
  }

  /** The handler, timed and logged under the job's name. */
  @SuppressWarnings("unchecked") // a handler of Window<? super T> only reads T values
  public <T> WindowHandler<T> wrapHandler(String job, WindowHandler<? super T> given) {
    WindowHandler<T> handler = (WindowHandler<T>) given;
    return window -> {
      long start = System.nanoTime();
      try {
        handler.handle(window);
      } catch (Exception | Error e) {
        record(job, window, start, e);
        throw e;
      }
      record(job, window, start, null);
    };
  }

  /** The function, timed and logged under the job's name. */
  @SuppressWarnings("unchecked") // a function of Window<? super T> only reads T values
  public <T, R> WindowFunction<T, R> wrap(
      String job, WindowFunction<? super T, ? extends R> given) {
    WindowFunction<T, R> function = (WindowFunction<T, R>) given;
    return window -> {
      long start = System.nanoTime();
      R result;
      try {
        result = function.apply(window);
      } catch (Exception | Error e) {
        record(job, window, start, e);
        throw e;
      }
      record(job, window, start, null);
      return result;
    };
  }

  private void record(String job, Window<?> w, long startNanos, Throwable failure) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    String outcome = failure == null ? "ok" : "failed";
    Timer.builder("sluice.window.duration")
        .description("Time a window's handler took, by job and outcome")
        .tag("job", job)
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
    String error =
        failure == null ? null : failure.getClass().getName() + ": " + failure.getMessage();
    Entry e =
        new Entry(
            job,
            w.id(),
            w.stream(),
            w.group(),
            w.size(),
            w.firstOffset(),
            w.lastOffset(),
            w.attempt(),
            clock.instant(),
            took,
            outcome,
            error);
    synchronized (entries) {
      entries.addLast(e);
      while (entries.size() > capacity) {
        entries.removeFirst();
      }
    }
  }

  /**
   * The most recent entries, newest first, shared fairly between jobs: each job gets up to {@code
   * max / jobs} of the places before the rest go to the newest of any job, so a busy job's windows
   * do not push a slow job's (and its failures) off the list.
   */
  List<Entry> recent(int max) {
    List<Entry> newestFirst = new ArrayList<>();
    synchronized (entries) {
      entries.descendingIterator().forEachRemaining(newestFirst::add);
    }
    long jobs = newestFirst.stream().map(Entry::job).distinct().count();
    int share = (int) Math.max(1, max / Math.max(1, jobs));
    Map<String, Integer> taken = new HashMap<>();
    List<Entry> chosen = new ArrayList<>();
    List<Entry> rest = new ArrayList<>();
    for (Entry e : newestFirst) {
      if (chosen.size() < max && taken.merge(e.job(), 1, Integer::sum) <= share) {
        chosen.add(e);
      } else {
        rest.add(e);
      }
    }
    for (Entry e : rest) {
      if (chosen.size() >= max) {
        break;
      }
      chosen.add(e);
    }
    chosen.sort(Comparator.comparing(Entry::finished).reversed());
    return chosen;
  }
}
