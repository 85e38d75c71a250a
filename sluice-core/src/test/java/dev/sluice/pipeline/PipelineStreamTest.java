package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spi.Sink;
import dev.sluice.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineStreamTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 10 s");
      }
      Thread.sleep(1);
    }
  }

  @Test
  void shouldStreamAnIteratorIntoASinkInOrder() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("inc", 3, x -> x + 1).batchSize(16).queueSize(64).build();
    List<Integer> written = new ArrayList<>();

    p.stream(range(10_000).iterator(), written::add);

    assertThat(written).isEqualTo(range(10_000).stream().map(x -> x + 1).toList());
  }

  @Test
  void shouldStreamASourceAndAProducerCallback() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("neg", 2, x -> -x).batchSize(3).queueSize(6).build();
    Source<Integer> source =
        emitter -> {
          for (int i = 0; i < 100; i++) {
            emitter.emit(i);
          }
        };
    List<Integer> fromSource = new ArrayList<>();
    List<Integer> fromCallback = new ArrayList<>();

    p.stream(source, fromSource::add);
    p.stream(
        emitter -> {
          for (int i = 0; i < 50; i++) {
            emitter.emit(i);
          }
        },
        fromCallback::add);

    assertThat(fromSource).isEqualTo(range(100).stream().map(x -> -x).toList());
    assertThat(fromCallback).isEqualTo(range(50).stream().map(x -> -x).toList());
  }

  @Test
  void shouldBoundTheItemsInFlightWithASlowSinkOfCapacityOne() throws Exception {
    int batchSize = 2;
    int queueSize = 4;
    int[] workers = {1, 3};
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("a", workers[0], x -> x)
            .step("b", workers[1], x -> x)
            .batchSize(batchSize)
            .queueSize(queueSize)
            .build();
    AtomicLong fed = new AtomicLong();
    Iterator<Integer> feed =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return fed.get() < 1_000_000;
          }

          @Override
          public Integer next() {
            return (int) fed.getAndIncrement();
          }
        };
    BlockingQueue<Integer> slow = new ArrayBlockingQueue<>(1);
    Sink<Integer> sink = slow::put;
    // queues in front of a, of b and of the sink, each holding queueSize/batchSize batches; one
    // batch in each worker; one more in the collector; and the batch the feeder is filling
    long maxBatches = 3 * (queueSize / batchSize) + workers[0] + workers[1] + 1 + 1;
    long bound = maxBatches * batchSize + 1;

    try (PipelineRun run = p.start(feed, sink)) {
      List<Integer> taken = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        taken.add(slow.take());
        assertThat(fed.get() - taken.size()).isLessThanOrEqualTo(bound);
      }
      // stop draining: the feed must come to a halt within the bound, not run on
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long stalled;
      while (true) {
        long before = fed.get();
        Thread.sleep(20);
        if (Threads.feederBlocked() && fed.get() == before) {
          stalled = before;
          break;
        }
        assertThat(System.nanoTime()).as("the feed halts").isLessThan(deadline);
      }
      assertThat(stalled - taken.size()).isLessThanOrEqualTo(bound);
      assertThat(taken).isEqualTo(range(200));
    }
  }

  private static boolean feederBlocked() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(
            t ->
                t.getName().equals("sluice-pipeline-feed") && t.getState() == Thread.State.WAITING);
  }

  @Test
  void shouldEndTheStreamAtTheIdleTimeoutAndCloseTheFeed() throws Exception {
    AtomicLong now = new AtomicLong();
    CountDownLatch closed = new CountDownLatch(1);
    Source<Integer> dries =
        new Source<>() {
          @Override
          public void run(Emitter<? super Integer> emitter) throws Exception {
            for (int i = 0; i < 5; i++) {
              emitter.emit(i);
            }
            closed.await();
          }

          @Override
          public void close() {
            closed.countDown();
          }
        };
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("x10", x -> x * 10)
            .idleTimeout(Duration.ofSeconds(30))
            .clock(now::get)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run = p.start(dries, written::add)) {
      await(() -> written.size() == 5);
      Thread.sleep(30);
      assertThat(run.state())
          .as("the clock has not moved: not idle yet")
          .isEqualTo(PipelineRun.State.RUNNING);
      assertThat(closed.getCount()).isEqualTo(1);

      now.addAndGet(Duration.ofSeconds(30).toNanos());

      assertThat(run.await(Duration.ofSeconds(10))).isTrue();
      assertThat(run.state()).isEqualTo(PipelineRun.State.SUCCEEDED);
      assertThat(closed.getCount()).isZero();
      assertThat(written).containsExactly(0, 10, 20, 30, 40);
    }
  }

  @Test
  void shouldEndAnIteratorStreamAtTheIdleTimeoutWithTheLastPartialBatch() {
    BlockingQueue<Integer> input = new ArrayBlockingQueue<>(10);
    input.addAll(List.of(1, 2, 3));
    Iterator<Integer> feed =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            try {
              return input.take();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            }
          }
        };
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("id", x -> x)
            .batchSize(100)
            .queueSize(100)
            .maxBatchWait(Duration.ofHours(1))
            .idleTimeout(Duration.ofMillis(100))
            .build();
    List<Integer> written = new ArrayList<>();

    p.stream(feed, written::add);

    assertThat(written).containsExactly(1, 2, 3);
  }

  /** One identity step; a partial batch is handed on after 5 s of {@code now}. */
  private static PipelineBuilder<Integer, Integer> identityWaiting5s(
      int batchSize, int queueSize, AtomicLong now) {
    return Pipeline.<Integer>builder()
        .step("id", x -> x)
        .batchSize(batchSize)
        .queueSize(queueSize)
        .maxBatchWait(Duration.ofSeconds(5))
        .clock(now::get);
  }

  @Test
  void shouldHandOnAPartialBatchAfterMaxBatchWait() throws Exception {
    AtomicLong now = new AtomicLong();
    CountDownLatch emitted = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    Pipeline<Integer, Integer> p = identityWaiting5s(100, 100, now).build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run =
        p.start(
            emitter -> {
              emitter.emit(1);
              emitter.emit(2);
              emitter.emit(3);
              emitted.countDown();
              end.await();
            },
            written::add)) {
      assertThat(emitted.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(30);
      assertThat(run.metrics().itemsIn()).isZero();
      assertThat(written).as("the batch has not waited 5 s yet").isEmpty();

      now.addAndGet(Duration.ofSeconds(5).toNanos());
      await(() -> written.size() == 3);

      end.countDown();
      run.await();
      assertThat(written).containsExactly(1, 2, 3);
    }
  }

  /**
   * The watcher hands on the waiting part of the feeder's open batch while the feeder keeps filling
   * it: an item fed alone after that waits maxBatchWait again (not for the batch to fill, not
   * forever), and the batch after a partial one still holds batchSize items, without duplicates.
   */
  @Test
  void shouldHandOnAnItemFedAloneAfterAPartialBatchAndKeepFullBatchesAfterIt() throws Exception {
    AtomicLong now = new AtomicLong();
    BlockingQueue<Integer> feed = new ArrayBlockingQueue<>(1_000);
    int end = -1;
    List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .batchStep(
                "sizes",
                (List<Integer> batch) -> {
                  batchSizes.add(batch.size());
                  return batch;
                })
            .batchSize(10)
            .queueSize(100)
            .maxBatchWait(Duration.ofSeconds(5))
            .clock(now::get)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    Semaphore emitted = new Semaphore(0);
    Source<Integer> source =
        emitter -> {
          for (int item = feed.take(); item != end; item = feed.take()) {
            emitter.emit(item);
            emitted.release();
          }
        };

    try (PipelineRun run = p.start(source, written::add)) {
      feed.addAll(List.of(1, 2, 3));
      assertThat(emitted.tryAcquire(3, 10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(30);
      assertThat(written).as("the batch has not waited 5 s yet").isEmpty();

      now.addAndGet(Duration.ofSeconds(5).toNanos());
      await(() -> written.size() == 3);

      feed.add(4);
      assertThat(emitted.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(30);
      assertThat(written)
          .as("4 came after the partial batch: it waits 5 s of its own")
          .containsExactly(1, 2, 3);

      now.addAndGet(Duration.ofSeconds(5).toNanos());
      await(() -> written.size() == 4);

      // 4 and 3 more fill the array's 10 slots; the next batch must still get 10 items
      for (int i = 5; i <= 14; i++) {
        feed.add(i);
      }
      await(() -> written.size() == 14);
      assertThat(batchSizes).containsExactly(3, 1, 10);

      feed.add(15);
      feed.add(end);
      run.await();
      assertThat(written).isEqualTo(IntStream.rangeClosed(1, 15).boxed().toList());
      assertThat(batchSizes).containsExactly(3, 1, 10, 1);
      assertThat(run.metrics().itemsIn()).isEqualTo(15);
    }
  }

  /** After a partial hand-on, the feed's last batch is padded (or dropped) as it would be alone. */
  @Test
  void shouldPadAndDropOnlyTheItemsLeftAfterAPartialBatch() throws Exception {
    for (boolean pad : new boolean[] {true, false}) {
      AtomicLong now = new AtomicLong();
      CountDownLatch emitted = new CountDownLatch(1);
      CountDownLatch more = new CountDownLatch(1);
      PipelineBuilder<Integer, Integer> builder = identityWaiting5s(4, 8, now);
      Pipeline<Integer, Integer> p =
          pad ? builder.padWith(0).build() : builder.lastBatch(Pipeline.LastBatch.DROP).build();
      List<Integer> written = Collections.synchronizedList(new ArrayList<>());

      try (PipelineRun run =
          p.start(
              emitter -> {
                for (int i = 1; i <= 3; i++) {
                  emitter.emit(i);
                }
                emitted.countDown();
                more.await();
                for (int i = 4; i <= 9; i++) {
                  emitter.emit(i);
                }
              },
              written::add)) {
        assertThat(emitted.await(10, TimeUnit.SECONDS)).isTrue();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        await(() -> written.size() == 3);
        more.countDown();
        run.await();

        // 1..3 went early; 4..7 make a full batch; 8 and 9 are the short last batch
        PipelineMetrics metrics = run.metrics();
        if (pad) {
          assertThat(written).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0);
          assertThat(metrics.itemsPadded()).isEqualTo(2);
        } else {
          assertThat(written).containsExactly(1, 2, 3, 4, 5, 6, 7);
          assertThat(metrics.itemsDropped()).isEqualTo(2);
        }
        assertThat(metrics.itemsIn()).isEqualTo(9);
      }
    }
  }

  @Test
  void shouldLoseAndReorderNothingWhilePartialBatchesAreHandedOnDuringAFastFeed() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("inc", 2, x -> x + 1)
            .batchSize(7)
            .queueSize(70)
            .maxBatchWait(Duration.ofMillis(1))
            .build();
    List<Integer> written = new ArrayList<>();

    p.stream(
        emitter -> {
          for (int i = 0; i < 200_000; i++) {
            emitter.emit(i);
            if (i % 5_000 == 0) {
              // pauses let the watcher take partial batches while the feeder appends
              LockSupport.parkNanos(1_500_000);
            }
          }
        },
        written::add);

    assertThat(written).isEqualTo(range(200_000).stream().map(x -> x + 1).toList());
  }

  @Test
  void shouldShowMetricsWhileRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean entered = new AtomicBoolean();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("fast", x -> x)
            .step(
                "gate",
                x -> {
                  entered.set(true);
                  release.await();
                  return x;
                })
            .batchSize(2)
            .queueSize(6)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run = p.start(range(100).iterator(), written::add)) {
      // the gate's queue holds 3 batches; a blocked producer is woken once it drained to 1
      await(() -> entered.get() && run.metrics().steps().get(1).queuedBatches() >= 2);
      Thread.sleep(20);
      PipelineMetrics live = run.metrics();
      StepMetrics gate = live.steps().get(1);
      assertThat(gate.name()).isEqualTo("gate");
      assertThat(gate.queuedBatches()).isBetween(2, 3);
      assertThat(gate.queuedItems()).isEqualTo(2L * gate.queuedBatches());
      assertThat(gate.itemsIn()).isZero();
      assertThat(live.steps().get(0).itemsOut()).isGreaterThanOrEqualTo(2 + gate.queuedItems());
      assertThat(live.itemsOut()).isZero();

      release.countDown();
      run.await();
      PipelineMetrics done = run.metrics();
      assertThat(done.itemsOut()).isEqualTo(100);
      assertThat(done.steps().get(1).itemsIn()).isEqualTo(100);
      assertThat(done.steps().get(1).busyTime()).isPositive();
      assertThat(written).isEqualTo(range(100));
    }
  }
}
