package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.spi.Sink;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTransformTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void shouldRunTheDesignSketchInBatchMode() {
    Pipeline<String, Integer> p =
        Pipeline.<String>builder()
            .step("trim", String::trim)
            .step("parse", 4, Integer::parseInt)
            .queueSize(10_000)
            .batchSize(100)
            .ordered(true)
            .build();
    List<String> lines = range(1234).stream().map(i -> " " + i + " ").collect(Collectors.toList());

    assertThat(p.transform(lines)).isEqualTo(range(1234));
  }

  /** A random-access list whose sublists hand out arrays of their element type. */
  private static class TypedArrayList extends AbstractList<String> implements RandomAccess {
    private final String[] items;

    TypedArrayList(String... items) {
      this.items = items;
    }

    @Override
    public String get(int index) {
      return items[index];
    }

    @Override
    public int size() {
      return items.length;
    }

    @Override
    public List<String> subList(int from, int to) {
      String[] part = Arrays.copyOfRange(items, from, to);
      return new AbstractList<>() {
        @Override
        public String get(int index) {
          return part[index];
        }

        @Override
        public int size() {
          return part.length;
        }

        @Override
        public Object[] toArray() {
          return part.clone();
        }
      };
    }
  }

  @Test
  void shouldReadEveryKindOfCollectionAlikeAndInOrder() {
    Pipeline<String, Integer> p =
        Pipeline.<String>builder()
            .step("length", String::length)
            .step("double", x -> 2 * x)
            .batchSize(3)
            .queueSize(6)
            .build();
    List<String> words =
        IntStream.range(0, 100).mapToObj(i -> "w".repeat(i % 7 + 1)).collect(Collectors.toList());
    List<Integer> expected = words.stream().map(w -> 2 * w.length()).toList();

    assertThat(p.transform(words)).isEqualTo(expected);
    assertThat(p.transform(List.copyOf(words))).isEqualTo(expected);
    assertThat(p.transform(new LinkedList<>(words))).isEqualTo(expected);
    assertThat(p.transform(new TypedArrayList(words.toArray(new String[0]))))
        .as("map steps write into the batch; a String[] from the list must not reach them")
        .isEqualTo(expected);
    assertThat(p.transform(new LinkedHashSet<>(List.of("a", "bbb", "cc"))))
        .containsExactly(2, 6, 4);
  }

  @Test
  void shouldFailTheFeedWhenTheListChangesSizeDuringTransform() {
    List<String> shrinking =
        new TypedArrayList("a", "b", "c", "d", "e", "f") {
          @Override
          public List<String> subList(int from, int to) {
            return super.subList(from, from == 3 ? to - 1 : to);
          }
        };
    Pipeline<String, String> p =
        Pipeline.<String>builder().step("id", s -> s).batchSize(3).queueSize(3).build();

    assertThatThrownBy(() -> p.transform(shrinking))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("the feed failed before batch 1: ")
        .hasCauseInstanceOf(ConcurrentModificationException.class);
  }

  @Test
  void shouldReturnAnEmptyListForAnEmptyCollection() {
    Pipeline<Integer, Integer> p = Pipeline.<Integer>builder().step("inc", x -> x + 1).build();

    assertThat(p.transform(List.of())).isEmpty();
  }

  @Test
  void shouldPassItemsThroughAPipelineWithoutSteps() {
    Pipeline<Integer, Integer> p = Pipeline.<Integer>builder().batchSize(7).queueSize(7).build();

    assertThat(p.transform(range(100))).isEqualTo(range(100));
  }

  @Test
  void shouldKeepOrderThroughFilterFlatMapStopAndStopWith() {
    Pipeline<Integer, String> p =
        Pipeline.<Integer>builder()
            .outputType(String.class)
            .filter("not-3", 3, x -> x % 3 != 0)
            .flatMap("twice", 2, x -> List.of(x, -x))
            .step("stop-7", 3, x -> x % 7 == 0 ? Step.stop() : x)
            .step("five", 2, x -> x % 5 == 0 ? Step.stopWith("five:" + x) : x * 10)
            .step("text", 3, x -> "n" + x)
            .batchSize(4)
            .queueSize(8)
            .build();

    List<String> expected = new ArrayList<>();
    for (int x = 0; x < 500; x++) {
      if (x % 3 == 0) {
        continue;
      }
      for (int y : List.of(x, -x)) {
        if (y % 7 == 0) {
          continue;
        }
        expected.add(y % 5 == 0 ? "five:" + y : "n" + (y * 10));
      }
    }
    assertThat(p.transform(range(500))).isEqualTo(expected);
  }

  @Test
  void shouldCountFilteredStoppedAndExpandedItemsSoThatTheyAddUp() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .filter("even", 2, x -> x % 2 == 0)
            .flatMap("triple", x -> List.of(x, x, x))
            .step("stop-big", 2, x -> x >= 60 ? Step.stop() : x)
            .batchSize(3)
            .queueSize(6)
            .build();
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());

    try (PipelineRun run = p.start(range(100).iterator(), Sink(written))) {
      run.await();
      PipelineMetrics m = run.metrics();

      assertThat(m.itemsIn()).isEqualTo(100);
      assertThat(m.steps())
          .extracting(StepMetrics::name)
          .containsExactly("even", "triple", "stop-big");
      StepMetrics even = m.steps().get(0);
      StepMetrics triple = m.steps().get(1);
      StepMetrics stop = m.steps().get(2);
      assertThat(even.itemsIn()).isEqualTo(100);
      assertThat(even.itemsFiltered()).isEqualTo(50);
      assertThat(even.itemsOut()).isEqualTo(50);
      assertThat(triple.itemsIn()).isEqualTo(50);
      assertThat(triple.itemsOut()).isEqualTo(150);
      assertThat(stop.itemsStopped()).isEqualTo(60);
      assertThat(m.itemsOut()).isEqualTo(90).isEqualTo(written.size());
      assertThat(m.steps()).allSatisfy(s -> assertThat(s.queuedBatches()).isZero());
    }
  }

  private static <T> Sink<T> Sink(List<T> into) {
    return into::add;
  }

  @Test
  void shouldProcessAShortLastBatchUnpaddedByDefault() {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .batchStep(
                "sizes",
                items -> {
                  sizes.add(items.size());
                  return items;
                })
            .batchSize(10)
            .queueSize(10)
            .build();

    assertThat(p.transform(range(25))).isEqualTo(range(25));
    assertThat(sizes).containsExactly(10, 10, 5);
  }

  @Test
  void shouldDropAShortLastBatchOnlyWhenAskedAndCountIt() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("id", x -> x)
            .batchSize(10)
            .queueSize(10)
            .lastBatch(Pipeline.LastBatch.DROP)
            .build();

    assertThat(p.transform(range(25))).isEqualTo(range(20));
    assertThat(p.transform(range(30))).isEqualTo(range(30));
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    try (PipelineRun run = p.start(range(25).iterator(), written::add)) {
      run.await();
      assertThat(run.metrics().itemsDropped()).isEqualTo(5);
      assertThat(run.metrics().itemsIn()).isEqualTo(25);
      assertThat(run.metrics().itemsOut()).isEqualTo(20);
    }
  }

  @Test
  void shouldCheckThatABatchStepGivesOneOutputPerInput() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .batchStep("short", 2, items -> items.subList(0, items.size() - 1))
            .batchSize(5)
            .queueSize(10)
            .build();

    assertThatThrownBy(() -> p.transform(range(20)))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("step 'short'")
        .hasMessageContaining("one output per input: 5 in, 4 out")
        .satisfies(e -> assertThat(((PipelineException) e).step()).contains("short"));
  }

  @Test
  void shouldLetBatchStepsSeeOnlyLiveItemsAndKeepStopWithValuesInPlace() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .outputType(Integer.class)
            .step("odd-ends", x -> x % 2 == 1 ? Step.stopWith(-x) : x)
            .batchStep(
                "halve",
                items -> {
                  assertThat(items).allMatch(x -> x % 2 == 0);
                  return items.stream().map(x -> x / 2).collect(Collectors.toList());
                })
            .batchSize(4)
            .queueSize(8)
            .build();

    List<Integer> expected = range(30).stream().map(x -> x % 2 == 1 ? -x : x / 2).toList();
    assertThat(p.transform(range(30))).isEqualTo(expected);
  }

  @Test
  void shouldRejectStopWithInAPipelineWithoutADeclaredOutputType() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("early", x -> x == 3 ? Step.stopWith(0) : x).build();

    assertThatThrownBy(() -> p.transform(range(10)))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("step 'early' failed on batch 3")
        .hasRootCauseMessage(
            "Step.stopWith(value) needs the pipeline's output type declared up front with"
                + " outputType(Class); this pipeline declares none (value 0"
                + " (java.lang.Integer))");
  }

  @Test
  void shouldRejectAStopWithValueOrAnOutputOfAnotherTypeThanDeclared() {
    Pipeline<Integer, Object> wrongStop =
        Pipeline.<Integer>builder()
            .outputType(Integer.class)
            .step("early", x -> x == 3 ? Step.stopWith("three") : (Object) x)
            .build();
    Pipeline<Integer, String> wrongOutput =
        Pipeline.<Integer>builder().outputType(Integer.class).step("text", x -> "t" + x).build();

    assertThatThrownBy(() -> wrongStop.transform(range(10)))
        .isInstanceOf(PipelineException.class)
        .hasRootCauseMessage(
            "the value of Step.stopWith(value) must be an instance of the declared output type"
                + " java.lang.Integer: \"three\" (java.lang.String)");
    assertThatThrownBy(() -> wrongOutput.transform(range(10)))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(
            "an output of the pipeline must be an instance of the declared output type"
                + " java.lang.Integer: \"t0\" (java.lang.String)");
  }

  @Test
  void shouldRejectStopInABatchStep() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().<Integer>batchStep("all", items -> Step.stop()).build();

    assertThatThrownBy(() -> p.transform(range(3)))
        .isInstanceOf(PipelineException.class)
        .hasRootCauseMessage(
            "Step.stop() and Step.stopWith(value) end one item; a batch step processes a whole"
                + " batch and cannot use them");
  }

  @Test
  void shouldRunEachStepOnAtMostItsWorkerCountAtOnce() {
    int workers = 3;
    AtomicInteger active = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CyclicBarrier allBusy = new CyclicBarrier(workers);
    AtomicInteger calls = new AtomicInteger();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "busy",
                workers,
                x -> {
                  int now = active.incrementAndGet();
                  most.accumulateAndGet(now, Math::max);
                  if (calls.incrementAndGet() <= workers) {
                    // the first calls wait for each other: proves the step does run 3 at once
                    allBusy.await(5, TimeUnit.SECONDS);
                  } else {
                    Thread.onSpinWait();
                  }
                  active.decrementAndGet();
                  return x;
                })
            .step("single", x -> x + 1)
            .build();

    assertThat(p.transform(range(3000))).hasSize(3000);
    assertThat(most.get()).isEqualTo(workers);
  }

  @Test
  void shouldLeaveAPipelineUsableForConcurrentAndRepeatedRuns() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("sq", 2, x -> x * x).batchSize(8).queueSize(16).build();
    List<Integer> expected = range(2000).stream().map(x -> x * x).toList();
    List<Thread> callers = new ArrayList<>();
    List<Throwable> problems = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread caller =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 3; i++) {
                    assertThat(p.transform(range(2000))).isEqualTo(expected);
                  }
                } catch (Throwable e) {
                  problems.add(e);
                }
              });
      caller.start();
      callers.add(caller);
    }
    for (Thread caller : callers) {
      caller.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldDeliverInCompletionOrderWhenUnorderedButLoseNothing() {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "slow-evens",
                4,
                x -> {
                  if (x % 20 < 10) {
                    Thread.sleep(1);
                  }
                  return x;
                })
            .batchSize(10)
            .queueSize(40)
            .ordered(false)
            .build();

    assertThat(p.transform(range(400))).containsExactlyInAnyOrderElementsOf(range(400));
  }
}
