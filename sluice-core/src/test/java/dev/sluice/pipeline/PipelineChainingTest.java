package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.spi.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chaining: adjacent single-worker steps chained on one thread keep every behaviour they have on
 * threads of their own. The thread a step ran on is how these tests see the layout.
 */
class PipelineChainingTest {
  private static final Duration NO_HANG = Duration.ofSeconds(20);

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

  private static PipelineException catchPipelineException(Runnable run) {
    try {
      run.run();
    } catch (PipelineException e) {
      return e;
    }
    throw new AssertionError("expected a PipelineException");
  }

  /** Records which threads ran each step. */
  private static final class ThreadLog {
    private final Map<String, Set<String>> byStep = new ConcurrentHashMap<>();

    void record(String step) {
      byStep
          .computeIfAbsent(step, k -> ConcurrentHashMap.newKeySet())
          .add(Thread.currentThread().getName());
    }

    <T> Step<T, T> step(String name) {
      return x -> {
        record(name);
        return x;
      };
    }

    Set<String> threads(String step) {
      return byStep.getOrDefault(step, Set.of());
    }
  }

  @Test
  void shouldRunAdjacentSingleWorkerStepsOnOneThreadWhenChainingIsOn() {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("a", log.step("a"))
            .step("b", log.step("b"))
            .filter(
                "c",
                x -> {
                  log.record("c");
                  return true;
                })
            .batchSize(10)
            .queueSize(20)
            .chaining(true)
            .build();

    assertThat(p.transform(range(1000))).isEqualTo(range(1000));
    for (String step : List.of("a", "b", "c")) {
      assertThat(log.threads(step)).as(step).containsExactly("sluice-pipeline-a+b+c-1");
    }
  }

  @Test
  void shouldGiveEveryStepItsOwnThreadByDefaultAndWhenChainingIsOff() {
    for (boolean setOff : List.of(false, true)) {
      ThreadLog log = new ThreadLog();
      PipelineBuilder<Integer, Integer> builder =
          Pipeline.<Integer>builder()
              .step("a", log.step("a"))
              .step("b", log.step("b"))
              .step("c", log.step("c"))
              .batchSize(10)
              .queueSize(20);
      Pipeline<Integer, Integer> p = (setOff ? builder.chaining(false) : builder).build();

      assertThat(p.transform(range(1000))).isEqualTo(range(1000));
      for (String step : List.of("a", "b", "c")) {
        assertThat(log.threads(step))
            .as("%s, chaining(false) called: %s", step, setOff)
            .containsExactly("sluice-pipeline-" + step + "-1");
      }
    }
  }

  @Test
  void shouldChainOnlyStepsWithOneWorkerAndNoQueueSizeOfTheirOwn() {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("a", log.step("a"))
            .step("b", log.step("b"))
            .step("c", 2, log.step("c"))
            .step("d", log.step("d"))
            .step("e", log.step("e"))
            .step("f", log.step("f"))
            .step("g", log.step("g"))
            .queueSize("e", 40)
            .batchSize(10)
            .queueSize(20)
            .chaining(true)
            .build();

    assertThat(p.transform(range(1000))).isEqualTo(range(1000));
    assertThat(log.threads("a")).containsExactly("sluice-pipeline-a+b-1");
    assertThat(log.threads("b")).containsExactly("sluice-pipeline-a+b-1");
    assertThat(log.threads("c")).isSubsetOf("sluice-pipeline-c-1", "sluice-pipeline-c-2");
    assertThat(log.threads("d")).containsExactly("sluice-pipeline-d-1");
    assertThat(log.threads("e")).containsExactly("sluice-pipeline-e-1");
    assertThat(log.threads("f")).containsExactly("sluice-pipeline-f+g-1");
    assertThat(log.threads("g")).containsExactly("sluice-pipeline-f+g-1");
  }

  @Test
  void shouldChainStepsInsideAUnionBranchButNeverAcrossTheUnion() throws Exception {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, Integer> left =
        Pipeline.<Integer>builder().step("u1", log.step("u1")).step("u2", x -> x + 1).build();
    Pipeline<Integer, Integer> right = Pipeline.<Integer>builder().step("v", log.step("v")).build();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("pre", log.step("pre"))
            .<Integer>union(
                "features", List.of(left, right), o -> (Integer) o.get(0) * (Integer) o.get(1))
            .step("post", log.step("post"))
            .step("post2", log.step("post2"))
            .batchSize(5)
            .queueSize(10)
            .chaining(true)
            .build();

    assertThat(p.transform(range(200)))
        .isEqualTo(range(200).stream().map(x -> (x + 1) * x).toList());
    assertThat(log.threads("pre")).containsExactly("sluice-pipeline-pre-1");
    assertThat(log.threads("u1")).containsExactly("sluice-pipeline-features/0/u1+u2-1");
    assertThat(log.threads("v")).containsExactly("sluice-pipeline-features/1/v-1");
    assertThat(log.threads("post")).containsExactly("sluice-pipeline-post+post2-1");
    assertThat(log.threads("post2")).containsExactly("sluice-pipeline-post+post2-1");
    try (PipelineRun run = p.start(range(200).iterator(), x -> {})) {
      run.await();
      assertThat(run.metrics().steps())
          .extracting(StepMetrics::name, StepMetrics::itemsIn, StepMetrics::itemsOut)
          .containsExactly(
              tuple("pre", 200L, 200L),
              tuple("features/0/u1", 200L, 200L),
              tuple("features/0/u2", 200L, 200L),
              tuple("features/1/v", 200L, 200L),
              tuple("post", 200L, 200L),
              tuple("post2", 200L, 200L));
    }
  }

  @Test
  void shouldTakeChainingForBranchesFromThePipelineHoldingTheUnion() {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, Integer> branch =
        Pipeline.<Integer>builder().step("u1", log.step("u1")).step("u2", log.step("u2")).build();
    Pipeline<Integer, Integer> byDefault =
        Pipeline.<Integer>builder()
            .<Integer>union("plain", List.of(branch), o -> (Integer) o.get(0))
            .build();
    Pipeline<Integer, Integer> chained =
        Pipeline.<Integer>builder()
            .<Integer>union("chained", List.of(branch), o -> (Integer) o.get(0))
            .chaining(true)
            .build();
    Pipeline<Integer, Integer> setsChaining =
        Pipeline.<Integer>builder().step("u1", x -> x).chaining(true).build();

    assertThat(byDefault.transform(range(50))).isEqualTo(range(50));
    assertThat(chained.transform(range(50))).isEqualTo(range(50));
    assertThat(log.threads("u1"))
        .containsExactlyInAnyOrder(
            "sluice-pipeline-plain/0/u1-1", "sluice-pipeline-chained/0/u1+u2-1");
    assertThat(log.threads("u2"))
        .containsExactlyInAnyOrder(
            "sluice-pipeline-plain/0/u2-1", "sluice-pipeline-chained/0/u1+u2-1");
    assertThatThrownBy(() -> Pipeline.union(List.of(setsChaining), List::copyOf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "union 'union' branch 0 must not set pipeline-wide options (it takes them from the"
                + " pipeline holding the union): [chaining]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"first", "middle", "last"})
  void shouldNameTheFailingStepAndBatchInsideAChain(String failing) {
    IllegalStateException bad = new IllegalStateException("bad item 4321");
    ThreadLog log = new ThreadLog();
    PipelineBuilder<Integer, Integer> builder = Pipeline.<Integer>builder();
    for (String name : List.of("first", "middle", "last")) {
      builder.step(
          name,
          x -> {
            log.record(name);
            if (name.equals(failing) && x == 4321) {
              throw bad;
            }
            return x;
          });
    }
    Pipeline<Integer, Integer> p = builder.batchSize(10).queueSize(20).chaining(true).build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(10_000))));

    assertThat(thrown).hasMessage("step '" + failing + "' failed on batch 432: " + bad);
    assertThat(thrown.getCause()).isSameAs(bad);
    assertThat(thrown.step()).contains(failing);
    assertThat(thrown.batchSequence()).hasValue(432);
    assertThat(log.threads(failing)).containsExactly("sluice-pipeline-first+middle+last-1");
  }

  @Test
  void shouldNameTheChainedStepWhoseStopWithValueHasTheWrongType() {
    Pipeline<Integer, Object> p =
        Pipeline.<Integer>builder()
            .outputType(Integer.class)
            .step("ok", x -> x)
            .step("early", x -> x == 13 ? Step.stopWith("thirteen") : (Object) x)
            .step("after", x -> x)
            .batchSize(4)
            .queueSize(8)
            .chaining(true)
            .build();

    assertThatThrownBy(() -> p.transform(range(40)))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("step 'early' failed on batch 3")
        .hasRootCauseMessage(
            "the value of Step.stopWith(value) must be an instance of the declared output type"
                + " java.lang.Integer: \"thirteen\" (java.lang.String)");
  }

  private static Pipeline<Integer, String> stopping(boolean chaining, List<Integer> labelled) {
    return Pipeline.<Integer>builder()
        .outputType(String.class)
        .filter("not-3", x -> x % 3 != 0)
        .step("stop-7", x -> x % 7 == 0 ? Step.stop() : x)
        .step("five", x -> x % 5 == 0 ? Step.stopWith("five:" + x) : x * 10)
        .step(
            "label",
            x -> {
              labelled.add(x);
              return "n" + x;
            })
        .batchSize(4)
        .queueSize(8)
        .chaining(chaining)
        .build();
  }

  @Test
  void shouldStopAndStopWithInsideAChainAsOnSeparateThreads() throws Exception {
    List<String> expected = new ArrayList<>();
    List<Integer> expectedLabelled = new ArrayList<>();
    for (int x = 0; x < 500; x++) {
      if (x % 3 == 0 || x % 7 == 0) {
        continue;
      }
      if (x % 5 == 0) {
        expected.add("five:" + x);
      } else {
        expected.add("n" + (x * 10));
        expectedLabelled.add(x * 10);
      }
    }

    for (boolean chaining : List.of(true, false)) {
      List<Integer> labelled = Collections.synchronizedList(new ArrayList<>());
      Pipeline<Integer, String> p = stopping(chaining, labelled);
      assertThat(p.transform(range(500))).as("chaining %s", chaining).isEqualTo(expected);
      assertThat(labelled)
          .as("the step after stop/stopWith sees only live items, chaining %s", chaining)
          .isEqualTo(expectedLabelled);

      try (PipelineRun run = p.start(range(500).iterator(), s -> {})) {
        run.await();
        PipelineMetrics m = run.metrics();
        long kept = range(500).stream().filter(x -> x % 3 != 0).count();
        long stopped = range(500).stream().filter(x -> x % 3 != 0 && x % 7 == 0).count();
        assertThat(m.steps())
            .extracting(
                StepMetrics::name,
                StepMetrics::itemsIn,
                StepMetrics::itemsOut,
                StepMetrics::itemsFiltered,
                StepMetrics::itemsStopped)
            .containsExactly(
                tuple("not-3", 500L, kept, 500L - kept, 0L),
                tuple("stop-7", kept, kept - stopped, 0L, stopped),
                tuple("five", kept - stopped, kept - stopped, 0L, 0L),
                tuple(
                    "label",
                    (long) expectedLabelled.size(),
                    (long) expectedLabelled.size(),
                    0L,
                    0L));
        assertThat(m.itemsOut()).isEqualTo(expected.size());
      }
    }
  }

  @Test
  void shouldCountEveryStepOfAChainOnItsOwn() throws Exception {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .filter(
                "even",
                x -> {
                  log.record("even");
                  return x % 2 == 0;
                })
            .flatMap("triple", x -> List.of(x, x, x))
            .step("stop-big", x -> x >= 60 ? Step.stop() : x)
            .batchStep(
                "negate",
                items -> {
                  log.record("negate");
                  return items.stream().map(x -> -x).toList();
                })
            .batchSize(3)
            .queueSize(6)
            .chaining(true)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run = p.start(range(100).iterator(), written::add)) {
      run.await();
      PipelineMetrics m = run.metrics();

      assertThat(log.threads("even"))
          .containsExactly("sluice-pipeline-even+triple+stop-big+negate-1");
      assertThat(log.threads("negate")).isEqualTo(log.threads("even"));
      assertThat(m.itemsIn()).isEqualTo(100);
      assertThat(m.steps())
          .extracting(
              StepMetrics::name,
              StepMetrics::workers,
              StepMetrics::itemsIn,
              StepMetrics::itemsOut,
              StepMetrics::itemsFiltered,
              StepMetrics::itemsStopped)
          .containsExactly(
              tuple("even", 1, 100L, 50L, 50L, 0L),
              tuple("triple", 1, 50L, 150L, 0L, 0L),
              tuple("stop-big", 1, 150L, 90L, 0L, 60L),
              tuple("negate", 1, 90L, 90L, 0L, 0L));
      assertThat(m.steps()).allSatisfy(s -> assertThat(s.busyTime()).isPositive());
      assertThat(m.steps()).allSatisfy(s -> assertThat(s.queuedBatches()).isZero());
      assertThat(m.itemsOut()).isEqualTo(90).isEqualTo(written.size());
    }
  }

  @Test
  void shouldShowEachChainedStepsMetricsWhileRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean entered = new AtomicBoolean();
    Set<String> gateThreads = ConcurrentHashMap.newKeySet();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("fast", x -> x)
            .step(
                "gate",
                x -> {
                  gateThreads.add(Thread.currentThread().getName());
                  entered.set(true);
                  release.await();
                  return x;
                })
            .batchSize(2)
            .queueSize(6)
            .chaining(true)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run = p.start(range(100).iterator(), written::add)) {
      // the chain's one thread holds batch 0 inside "gate"; its queue (3 batches) fills, and a
      // blocked producer is woken only once it drained to 1
      await(() -> entered.get() && run.metrics().steps().get(0).queuedBatches() >= 2);
      Thread.sleep(20);
      PipelineMetrics live = run.metrics();
      StepMetrics fast = live.steps().get(0);
      StepMetrics gate = live.steps().get(1);

      assertThat(gateThreads).containsExactly("sluice-pipeline-fast+gate-1");
      assertThat(fast.name()).isEqualTo("fast");
      assertThat(fast.itemsIn()).as("fast finished batch 0 before gate took it").isEqualTo(2);
      assertThat(fast.itemsOut()).isEqualTo(2);
      assertThat(fast.busyTime()).isPositive();
      assertThat(fast.queuedBatches()).as("the chain's queue").isBetween(2, 3);
      assertThat(fast.queuedItems()).isEqualTo(2L * fast.queuedBatches());
      assertThat(gate.name()).isEqualTo("gate");
      assertThat(gate.itemsIn()).isZero();
      assertThat(gate.queuedBatches())
          .as("a chained step after the first has no queue of its own")
          .isZero();
      assertThat(gate.queuedItems()).isZero();
      assertThat(live.itemsOut()).isZero();

      release.countDown();
      run.await();
      PipelineMetrics done = run.metrics();
      assertThat(done.itemsOut()).isEqualTo(100);
      assertThat(done.steps()).extracting(StepMetrics::itemsIn).containsExactly(100L, 100L);
      assertThat(done.steps().get(1).busyTime()).isPositive();
      assertThat(written).isEqualTo(range(100));
    }
  }

  /** Parks up to ~200 µs on one item in eight, so that batches finish unevenly. */
  private static void uneven(int item) {
    int mix = item * 0x9E3779B1;
    if ((mix & 7) == 0) {
      LockSupport.parkNanos(((mix >>> 8) & 255) * 800L);
    }
  }

  @Test
  void shouldKeepInputOrderWithChainsBetweenMultiWorkerSteps() {
    ThreadLog log = new ThreadLog();
    Pipeline<Integer, String> p =
        Pipeline.<Integer>builder()
            .step("a", x -> x + 1)
            .step("b", log.step("b"))
            .step(
                "wide",
                3,
                x -> {
                  uneven(x);
                  return x * 2;
                })
            .filter("not-6", x -> x % 6 != 0)
            .flatMap("pair", x -> x % 10 == 2 ? List.<Integer>of() : List.of(x, -x))
            .step("stop-14", x -> x % 14 == 0 ? Step.stop() : x)
            .step(
                "wider",
                2,
                x -> {
                  uneven(x);
                  return "v" + x;
                })
            .step("last", log.step("last"))
            .batchSize(3)
            .queueSize(6)
            .chaining(true)
            .build();
    List<String> expected = new ArrayList<>();
    for (int x = 0; x < 3000; x++) {
      int y = (x + 1) * 2;
      if (y % 6 == 0 || y % 10 == 2) {
        continue;
      }
      for (int z : List.of(y, -y)) {
        if (z % 14 != 0) {
          expected.add("v" + z);
        }
      }
    }

    assertThat(p.transform(range(3000))).isEqualTo(expected);
    assertThat(log.threads("b")).containsExactly("sluice-pipeline-a+b-1");
    assertThat(log.threads("last")).containsExactly("sluice-pipeline-last-1");
  }

  @Test
  void shouldNeverRunTwoStepsOfAChainAtOnce() {
    AtomicInteger activeInChain = new AtomicInteger();
    AtomicInteger mostInChain = new AtomicInteger();
    AtomicInteger activeWide = new AtomicInteger();
    AtomicInteger mostWide = new AtomicInteger();
    Step<Integer, Integer> inChain =
        x -> {
          mostInChain.accumulateAndGet(activeInChain.incrementAndGet(), Math::max);
          LockSupport.parkNanos(20_000);
          activeInChain.decrementAndGet();
          return x;
        };
    Step<Integer, Integer> wide =
        x -> {
          mostWide.accumulateAndGet(activeWide.incrementAndGet(), Math::max);
          LockSupport.parkNanos(20_000);
          activeWide.decrementAndGet();
          return x;
        };
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("wide-in", 2, wide)
            .step("x", inChain)
            .step("y", inChain)
            .step("z", inChain)
            .chaining(true)
            .build();

    assertThat(p.transform(range(1000))).isEqualTo(range(1000));
    assertThat(mostInChain.get()).as("x, y and z together, at most one at a time").isEqualTo(1);
    assertThat(mostWide.get()).isBetween(1, 2);
  }

  @Test
  void shouldSkipTheRestOfAChainOnceTheRunIsCancelled() {
    CountDownLatch aHoldsItemZero = new CountDownLatch(1);
    List<Integer> seenByB = Collections.synchronizedList(new ArrayList<>());
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "fails",
                2,
                x -> {
                  if (x == 1) {
                    aHoldsItemZero.await();
                    throw new IllegalStateException("one");
                  }
                  return x;
                })
            .step(
                "a",
                x -> {
                  if (x == 0) {
                    aHoldsItemZero.countDown();
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                      // like step code that swallows the interrupt and returns normally
                    }
                  }
                  return x;
                })
            .step(
                "b",
                x -> {
                  seenByB.add(x);
                  return x;
                })
            .chaining(true)
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(10))));

    assertThat(thrown.step()).contains("fails");
    assertThat(thrown.batchSequence()).hasValue(1);
    assertThat(seenByB).as("b never runs on the batch a finished after the failure").isEmpty();
  }

  @Test
  void shouldCancelAChainBlockedInAStepWhenAnotherStepFails() {
    CountDownLatch never = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "fails",
                2,
                x -> {
                  if (x == 5) {
                    throw new IllegalStateException("five");
                  }
                  return x;
                })
            .step("a", x -> x)
            .step(
                "blocks",
                x -> {
                  if (x == 0) {
                    never.await();
                  }
                  return x;
                })
            .step("c", x -> x)
            .chaining(true)
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(10))));

    assertThat(thrown.step()).contains("fails");
    assertThat(thrown.batchSequence()).hasValue(5);
  }

  @Test
  void shouldCloseARunPromptlyWhileAChainedStepBlocks() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("first", x -> x)
            .step(
                "waits",
                x -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                  return x;
                })
            .step("then", x -> x)
            .chaining(true)
            .build();
    PipelineRun run = p.start(endless(), x -> {});
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Threads.pipelineThreads())
        .containsExactlyInAnyOrder(
            "sluice-pipeline-first+waits+then-1",
            "sluice-pipeline-feed",
            "sluice-pipeline-collect");

    assertTimeoutPreemptively(NO_HANG, run::close);

    assertThat(run.state()).isEqualTo(PipelineRun.State.CANCELLED);
    assertThatThrownBy(run::await)
        .isInstanceOf(PipelineException.class)
        .hasMessage("the pipeline run was closed");
    assertThat(Threads.pipelineThreads()).isEmpty();
  }

  private static Iterator<Integer> endless() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return next++;
      }
    };
  }

  @Test
  void shouldBoundTheItemsInFlightOfAChainWithASlowSink() throws Exception {
    int batchSize = 2;
    int queueSize = 4;
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("a", x -> x)
            .step("b", x -> x)
            .batchSize(batchSize)
            .queueSize(queueSize)
            .chaining(true)
            .build();
    AtomicLong fed = new AtomicLong();
    Iterator<Integer> feed =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            return (int) fed.getAndIncrement();
          }
        };
    BlockingQueue<Integer> slow = new ArrayBlockingQueue<>(1);
    Sink<Integer> sink = slow::put;
    // chained, a and b share one queue and one thread: the queues in front of the chain and of the
    // sink, one batch in the chain's thread, one in the collector, and the one the feeder fills
    long maxBatches = 2 * (queueSize / batchSize) + 1 + 1 + 1;
    long bound = maxBatches * batchSize + 1;

    try (PipelineRun run = p.start(feed, sink)) {
      List<Integer> taken = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        taken.add(slow.take());
      }
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
}
