package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What Neuraxle and PipeFrame users have and expect (issue 17, items 1–5). */
@Timeout(60)
class PipelineParityTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  private static List<String> stepNames(PipelineMetrics metrics) {
    return metrics.steps().stream().map(StepMetrics::name).toList();
  }

  private static PipelineMetrics metricsOf(Pipeline<Integer, ?> p, List<Integer> items)
      throws InterruptedException {
    PipelineRun run = p.start(items.iterator(), outputs -> {});
    run.await();
    return run.metrics();
  }

  // 1. a pipeline as a step

  @Test
  void aNestedPipelineRunsInPlaceWithItsFiltersFlatMapsAndWorkers() throws Exception {
    Pipeline<Integer, Integer> inner =
        Pipeline.<Integer>builder()
            .filter("even", x -> x % 2 == 0)
            .flatMap("twice", 3, x -> List.of(x, x))
            .build();
    Pipeline<Integer, String> outer =
        Pipeline.<Integer>builder()
            .step("inc", x -> x + 1)
            .pipeline("inner", inner)
            .step("show", 2, x -> "#" + x)
            .batchSize(7)
            .build();

    List<String> expected = new ArrayList<>();
    for (int x = 0; x < 100; x++) {
      if ((x + 1) % 2 == 0) {
        expected.add("#" + (x + 1));
        expected.add("#" + (x + 1));
      }
    }
    assertThat(outer.transform(range(100))).isEqualTo(expected);
    PipelineMetrics metrics = metricsOf(outer, range(100));
    assertThat(stepNames(metrics)).containsExactly("inc", "inner/even", "inner/twice", "show");
    assertThat(metrics.steps().get(2).workers()).isEqualTo(3);
    assertThat(metrics.steps().get(1).itemsFiltered()).isEqualTo(50);
    assertThat(metrics.itemsOut()).isEqualTo(100);
  }

  @Test
  void stopWithInsideANestedPipelineGivesItsOutputAndTheItemGoesOn() {
    Pipeline<String, String> inner =
        Pipeline.<String>builder()
            .outputType(String.class)
            .step("short", s -> s.length() < 3 ? Step.stopWith("short") : s)
            .step("upper", String::toUpperCase)
            .build();
    Pipeline<String, String> outer =
        Pipeline.<String>builder()
            .pipeline("inner", inner)
            .step("mark", s -> s + "!")
            .batchSize(2)
            .build();

    assertThat(outer.transform(List.of("abcd", "x", "yz", "hello")))
        .containsExactly("ABCD!", "short!", "short!", "HELLO!");
  }

  @Test
  void aFailureInsideANestedPipelineNamesTheNestedStep() {
    Pipeline<String, Integer> inner =
        Pipeline.<String>builder().step("parse", Integer::parseInt).build();
    Pipeline<String, Integer> outer = Pipeline.<String>builder().pipeline("numbers", inner).build();

    assertThatThrownBy(() -> outer.transform(List.of("1", "x")))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("step 'numbers/parse' failed on batch 1")
        .hasCauseInstanceOf(NumberFormatException.class);
  }

  @Test
  void aNestedPipelineKeepsItsQueueOptionsButNotAnotherFeed() {
    Pipeline<Integer, Integer> small =
        Pipeline.<Integer>builder().step("a", x -> x).queueSize(5).build();
    assertThatThrownBy(
            () -> Pipeline.<Integer>builder().pipeline("inner", small).batchSize(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "queueSize of pipeline 'inner' (5) must be at least batchSize (10): a queue holds"
                + " whole batches");

    Pipeline<Integer, Integer> batched =
        Pipeline.<Integer>builder().step("a", x -> x).batchSize(5).build();
    assertThatThrownBy(
            () -> Pipeline.<Integer>builder().pipeline("inner", batched).batchSize(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "nested pipeline 'inner' sets batchSize 5 but the pipeline holding it runs with"
                + " batchSize 10: the run's feed options come from the pipeline that is run; set"
                + " the same value or leave it unset in the nested pipeline");

    Pipeline<Integer, Integer> same =
        Pipeline.<Integer>builder().step("a", x -> x * 2).batchSize(10).queueBatches(2).build();
    assertThat(
            Pipeline.<Integer>builder()
                .pipeline("inner", same)
                .batchSize(10)
                .build()
                .transform(range(25)))
        .isEqualTo(range(25).stream().map(x -> x * 2).toList());
  }

  @Test
  void aUnionBranchMayNotHideAFilterInANestedPipeline() {
    Pipeline<Integer, Integer> filtering =
        Pipeline.<Integer>builder().filter("odd", x -> x % 2 == 1).build();
    Pipeline<Integer, Integer> branch =
        Pipeline.<Integer>builder().pipeline("inner", filtering).build();

    assertThatThrownBy(() -> Pipeline.union(List.of(branch), o -> o.get(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "union 'union' branch 0 must give one output per item, so it cannot hold a filter"
                + " step: 'odd'");
  }

  // 2. a pipeline-wide worker count, optional step names

  @Test
  void stepsWithoutAWorkerCountTakeThePipelinesAndUnnamedStepsGetKindAndIndex() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(x -> x + 1)
            .filter(x -> x > 3)
            .step("own", 1, x -> x * 2)
            .flatMap(x -> List.of(x))
            .batchStep(xs -> xs)
            .workers(3)
            .build();

    assertThat(p.transform(range(10))).isEqualTo(List.of(8, 10, 12, 14, 16, 18, 20));
    PipelineMetrics metrics = metricsOf(p, range(10));
    assertThat(stepNames(metrics))
        .containsExactly("map-0", "filter-1", "own", "flat-map-3", "batch-4");
    assertThat(metrics.steps().stream().map(StepMetrics::workers).toList())
        .containsExactly(3, 3, 1, 3, 3);
  }

  @Test
  void aDefaultNameTakenByANamedStepIsRefused() {
    assertThatThrownBy(() -> Pipeline.<Integer>builder().step("map-1", x -> x).step(x -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step names must be unique in a pipeline: 'map-1'");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers of step 'every step' must be between 1 and 1024: 0");
  }

  // 3. padding the short last batch

  @Test
  void aShortLastBatchIsPaddedWithTheValueAndTheOutputsOfPaddingComeLast() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("x10", 2, x -> x * 10).batchSize(4).padWith(-1).build();

    assertThat(p.transform(range(10)))
        .containsExactly(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, -10, -10);
    PipelineMetrics metrics = metricsOf(p, range(10));
    assertThat(metrics.itemsIn()).isEqualTo(10);
    assertThat(metrics.itemsPadded()).isEqualTo(2);
    assertThat(metrics.itemsOut()).isEqualTo(12);
    assertThat(p.transform(range(8))).hasSize(8);
  }

  @Test
  void padWithoutAValuePadsWithNullAndConflictsAreNamed() {
    List<Integer> out =
        Pipeline.<Integer>builder()
            .batchSize(3)
            .lastBatch(Pipeline.LastBatch.PAD)
            .build()
            .transform(range(4));
    assertThat(out).containsExactly(0, 1, 2, 3, null, null);

    assertThatThrownBy(
            () -> Pipeline.<Integer>builder().padWith(0).lastBatch(Pipeline.LastBatch.DROP).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("padWith(value) and lastBatch(DROP) conflict: give one");
  }

  // 4. queue sizes in batches

  @Test
  void aQueueSizeInBatchesHoldsThatManyBatchesWhateverTheBatchSize() throws Exception {
    // 3 batches queued, 1 in the worker, 1 in the feeder's hands (or, when the worker took its
    // batch before the queue filled, one fewer: a full queue wakes its producer only at half)
    assertThat(itemsFedWhileTheStepIsBlocked(b -> b.queueBatches(3))).isBetween(200L, 250L);
    assertThat(itemsFedWhileTheStepIsBlocked(b -> b.queueSize(150))).isBetween(200L, 250L);
    assertThat(itemsFedWhileTheStepIsBlocked(b -> b.queueBatches("blocked", 3).queueBatches(9)))
        .isBetween(200L, 250L);
    assertThat(itemsFedWhileTheStepIsBlocked(b -> b.queueBatches(9))).isBetween(500L, 550L);
  }

  /**
   * Batches of 50 into a step blocked on its first batch: the feeder stops once the step's queue is
   * full: one batch in the worker, the queue's, and one the feeder holds.
   */
  private static long itemsFedWhileTheStepIsBlocked(
      java.util.function.UnaryOperator<PipelineBuilder<Integer, Integer>> queues) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    PipelineBuilder<Integer, Integer> builder =
        Pipeline.<Integer>builder()
            .step(
                "blocked",
                x -> {
                  entered.countDown();
                  release.await();
                  return x;
                })
            .batchSize(50);
    Pipeline<Integer, Integer> p = queues.apply(builder).build();
    Iterator<Integer> endless = IntStream.iterate(0, i -> i + 1).boxed().iterator();
    try (PipelineRun run = p.start(endless, outputs -> {})) {
      assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long fed = -1;
      while (true) {
        long before = run.metrics().itemsIn();
        Thread.sleep(20);
        if (Threads.feederBlocked() && run.metrics().itemsIn() == before) {
          fed = before;
          break;
        }
        assertThat(System.nanoTime()).as("the feed halts").isLessThan(deadline);
      }
      release.countDown();
      return fed;
    }
  }

  @Test
  void aQueueSizeGivenTwiceIsRefused() {
    assertThatThrownBy(() -> Pipeline.<Integer>builder().queueSize(10).queueBatches(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueSize(10) and queueBatches(2) conflict: give one");
    assertThatThrownBy(
            () ->
                Pipeline.<Integer>builder()
                    .step("s", x -> x)
                    .queueSize("s", 10)
                    .queueBatches("s", 2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueSize and queueBatches of step 's' conflict: give one");
  }

  @Test
  void aUnionBranchMayGiveAStepAQueueInBatches() {
    Pipeline<Integer, Integer> branch =
        Pipeline.<Integer>builder().step("x2", x -> x * 2).queueBatches("x2", 1).build();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .<Integer>union("u", List.of(branch), o -> (Integer) o.get(0))
            .batchSize(10)
            .build();

    assertThat(p.transform(range(35))).isEqualTo(range(35).stream().map(x -> x * 2).toList());
  }

  // 5. a typed, stacked joiner

  record Features(Integer length, String upper) {}

  record Three(Integer length, String upper, Boolean empty) {}

  @Test
  void aTypedJoinerGetsEachBranchsOutputWithItsOwnType() {
    Pipeline<String, Integer> length = Pipeline.<String>builder().step(String::length).build();
    Pipeline<String, String> upper =
        Pipeline.<String>builder().step("upper", 2, String::toUpperCase).build();
    Pipeline<String, Boolean> empty = Pipeline.<String>builder().step(String::isEmpty).build();

    Pipeline<String, Features> two = Pipeline.union(length, upper, Features::new);
    Pipeline<String, Three> three = Pipeline.union(length, upper, empty, Three::new);
    Pipeline<String, String> inBuilder =
        Pipeline.<String>builder()
            .union("features", length, upper, (n, s) -> s + n)
            .step("trim", String::strip)
            .build();

    List<String> words = List.of("a", "bb", "");
    assertThat(two.transform(words))
        .containsExactly(new Features(1, "A"), new Features(2, "BB"), new Features(0, ""));
    assertThat(three.transform(words))
        .containsExactly(
            new Three(1, "A", false), new Three(2, "BB", false), new Three(0, "", true));
    assertThat(inBuilder.transform(words)).containsExactly("A1", "BB2", "0");
    assertThat(Collections.nCopies(1, two.toString()).get(0)).contains("union(union of 2)");
  }
}
