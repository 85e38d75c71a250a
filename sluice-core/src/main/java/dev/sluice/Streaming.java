package dev.sluice;

import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;

/**
 * A consumer of a stream, being configured: a group, a window rule, workers, retries, then a
 * terminal that runs it. Get one from {@link Sluice#streaming(String)}, {@link
 * Store#streaming(String)} or {@link EventStream#streaming()}.
 *
 * <pre>{@code
 * Sluice.streaming("test").size(2).run(window -> System.out.println(window.data()));
 *
 * StreamingJob job = Sluice.streaming("orders")
 *     .group("billing")
 *     .window(Windows.count(100).orAfter(Duration.ofSeconds(5)))
 *     .workers(4)
 *     .retry(Retry.times(5).backoff(Duration.ofMillis(100)))
 *     .process(window -> summarize(window.data()))
 *     .sink(summaries)
 *     .start();
 * }</pre>
 *
 * <p>Each configuring method returns this builder. Each record of the stream is in exactly one
 * window of a group (except for sliding windows, by design), whatever the number of workers,
 * threads or processes; a window is committed only after its handler (and sink) succeed.
 *
 * @param <T> the value type
 */
public interface Streaming<T> {
  /**
   * The consumer group, {@code "default"} unless set. Groups are independent: each sees every
   * record. Workers of one group share the work.
   *
   * @throws IllegalArgumentException if the name breaks the naming rule of streams
   */
  Streaming<T> group(String name);

  /** Where a new group starts; an existing group resumes where it is. Default {@code EARLIEST}. */
  Streaming<T> startFrom(StartFrom start);

  /** Starts a new group at an offset. */
  Streaming<T> startFrom(long offset);

  /** Starts a new group at the first record stamped at or after {@code time}. */
  Streaming<T> startFrom(Instant time);

  /** Windows of {@code n} records: the shorthand for {@code window(Windows.count(n))}. */
  Streaming<T> size(int n);

  /** Every interval, all records since the last window: {@code window(Windows.relaxed(d))}. */
  Streaming<T> every(Duration interval);

  /** The window rule; {@link Windows} has the usual ones. Default {@code Windows.count(1)}. */
  Streaming<T> window(WindowEmitter<? super T> emitter);

  /**
   * How many windows are handled at once, each by its own thread. Default 1 (not minibatch's one
   * per CPU): windows are then handled one after another in offset order, what a handler that
   * writes to a sink or keeps state expects; set {@code
   * workers(Runtime.getRuntime().availableProcessors())} for minibatch's parallel window
   * processing, where windows may finish out of order.
   */
  Streaming<T> workers(int n);

  /** Runs the workers on this executor instead of threads of the job's own. */
  Streaming<T> executor(ExecutorService executor);

  /**
   * Sets the stream's retention when this consumer starts: {@code keep(false)} to {@link
   * Retention#untilConsumed()} (records are deleted once every group committed them), {@code
   * keep(true)} to {@link Retention#forever()} (undoing an earlier {@code keep(false)}). Retention
   * belongs to the stream, so the last consumer started with {@code keep(...)}, or the last {@link
   * EventStream#retention(Retention)}, wins. Default: the stream's retention is left as is.
   */
  Streaming<T> keep(boolean keep);

  /** How a failing window is retried. Default {@link Retry#defaults()}. */
  Streaming<T> retry(Retry retry);

  /** What happens to a window that fails its last retry. Default {@link DeadLetter#RECORD}. */
  Streaming<T> deadLetter(DeadLetter policy);

  /** When windows are committed relative to the sink. Default {@link Delivery#AT_LEAST_ONCE}. */
  Streaming<T> delivery(Delivery delivery);

  /** Whether time windows with no records are handed over too. Default {@code false}. */
  Streaming<T> emitEmpty(boolean emitEmpty);

  /** How many empty time windows to emit at most after downtime. Default 1. */
  Streaming<T> maxEmptyCatchUp(int windows);

  /**
   * How long a claimed window stays its worker's without a sign of life before others may take it
   * over. Renewed while the handler runs; the backstop for a hung process (a dead one's windows are
   * taken over at once). Default 30 s.
   */
  Streaming<T> lease(Duration lease);

  /**
   * How long a group may go unread before a consumer of the stream removes it, so an abandoned
   * group cannot hold records forever. Default 7 days.
   */
  Streaming<T> groupExpiry(Duration expiry);

  /** Feeds the stream from this source while the job runs (see {@link EventStream#attach}). */
  Streaming<T> source(Source<? extends T> source);

  /** Handles windows until stopped (by interrupting the thread, or a failure); blocks. */
  void run(WindowHandler<? super T> handler);

  /** Handles windows in the background. */
  StreamingJob start(WindowHandler<? super T> handler);

  /**
   * Handles at most one window that is ready now, on this thread, and returns whether it did. Never
   * waits for records.
   */
  boolean once(WindowHandler<? super T> handler);

  /** Turns each window into a result for a {@link Results#sink}. */
  <R> Results<T, R> process(WindowFunction<? super T, ? extends R> function);

  /**
   * A consumer whose windows become results, being configured.
   *
   * @param <T> the value type
   * @param <R> the result type
   */
  interface Results<T, R> {
    /**
     * Where results go. With {@link Delivery#EXACTLY_ONCE} this must be a {@link
     * dev.sluice.spi.TransactionalSink} of the same store.
     *
     * @throws IllegalArgumentException if the delivery needs a transactional sink of the same store
     *     and this is not one
     */
    Results<T, R> sink(Sink<? super R> sink);

    /** As {@link Streaming#run}. */
    void run();

    /** As {@link Streaming#start}. */
    StreamingJob start();

    /** As {@link Streaming#once}. */
    boolean once();
  }
}
