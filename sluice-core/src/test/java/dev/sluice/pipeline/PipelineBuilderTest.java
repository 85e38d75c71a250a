package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineBuilderTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  @Test
  void shouldRejectZeroOrNegativeSizesWithTheBadValue() {
    assertThatThrownBy(() -> Pipeline.<Integer>builder().batchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be at least 1: 0");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().queueSize(-5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueSize must be at least 1: -5");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().step("parse", 0, x -> x).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers of step 'parse' must be between 1 and 1024: 0");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().filter("f", -1, x -> true))
        .hasMessage("workers of step 'f' must be between 1 and 1024: -1");
    assertThatThrownBy(
            () -> Pipeline.<Integer>builder().step("s", x -> x).queueSize("s", 0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueSize of step 's' must be at least 1: 0");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().idleTimeout(Duration.ZERO))
        .hasMessage("idleTimeout must be a positive duration: PT0S");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().maxBatchWait(Duration.ofMillis(-1)))
        .hasMessage("maxBatchWait must be a positive duration: PT-0.001S");
  }

  @Test
  void shouldRejectAQueueSmallerThanABatchNamingBoth() {
    assertThatThrownBy(() -> Pipeline.<Integer>builder().batchSize(100).queueSize(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queueSize (10) must be at least batchSize (100): a queue holds whole batches");
    assertThatThrownBy(
            () ->
                Pipeline.<Integer>builder()
                    .step("s", x -> x)
                    .queueSize("s", 50)
                    .batchSize(100)
                    .build())
        .hasMessage(
            "queueSize of step 's' (50) must be at least batchSize (100): a queue holds whole"
                + " batches");
  }

  @Test
  void shouldRejectBadAndDuplicateStepNames() {
    assertThatThrownBy(() -> Pipeline.<Integer>builder().step("a b", x -> x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step name must match [A-Za-z0-9._-]{1,100}: \"a b\" (java.lang.String)");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().step(null, x -> x))
        .hasMessage("step name must match [A-Za-z0-9._-]{1,100}: null");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().step("s", x -> x).filter("s", x -> true))
        .hasMessage("step names must be unique in a pipeline: 's'");
    assertThatThrownBy(() -> Pipeline.<Integer>builder().queueSize("nope", 10).build())
        .hasMessage("queueSize(step, items) must name a step of this pipeline: 'nope'");
  }

  @Test
  void shouldNotChangeABuiltPipelineWhenTheBuilderGoesOn() {
    PipelineBuilder<Integer, Integer> builder = Pipeline.<Integer>builder().step("inc", x -> x + 1);
    Pipeline<Integer, Integer> first = builder.build();
    Pipeline<Integer, Integer> second = builder.step("double", x -> x * 2).batchSize(5).build();

    assertThat(first.transform(List.of(1, 2, 3))).containsExactly(2, 3, 4);
    assertThat(second.transform(List.of(1, 2, 3))).containsExactly(4, 6, 8);
    assertThat(first.toString())
        .isEqualTo("Pipeline[inc(map x1), batchSize=1, queueSize=1000, ordered=true]");
    assertThat(second.toString())
        .isEqualTo(
            "Pipeline[inc(map x1) -> double(map x1), batchSize=5, queueSize=1000, ordered=true]");
  }

  @Test
  void shouldGiveAStepItsOwnQueueSize() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "gate",
                x -> {
                  release.await();
                  return x;
                })
            .queueSize("gate", 4)
            .queueSize(100)
            .build();
    List<Integer> input = IntStream.range(0, 50).boxed().collect(Collectors.toList());

    try (PipelineRun run = p.start(input.iterator(), x -> {})) {
      // one item in the gate's worker, at most four in its queue (a blocked feeder is woken
      // once the queue drained to half), the next one held by the feeder
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!(Threads.feederBlocked() && run.metrics().steps().get(0).queuedBatches() >= 3)
          && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      Thread.sleep(20);
      assertThat(run.metrics().steps().get(0).queuedBatches()).isBetween(3, 4);
      assertThat(run.metrics().itemsIn()).isBetween(5L, 6L);
      release.countDown();
      run.await();
      assertThat(run.metrics().itemsOut()).isEqualTo(50);
    }
  }
}
