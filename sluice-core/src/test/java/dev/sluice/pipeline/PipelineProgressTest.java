package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A run never hangs: configurations that cannot progress are refused or noticed. */
@Timeout(60)
class PipelineProgressTest {
  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  @Test
  void aUnionBranchQueueBelowTheOuterBatchSizeIsRefusedWhenBuilding() {
    Pipeline<Integer, Integer> branch =
        Pipeline.<Integer>builder().step("x2", x -> x * 2).queueSize("x2", 5).build();
    PipelineBuilder<Integer, Integer> outer =
        Pipeline.<Integer>builder()
            .<Integer>union("u", List.of(branch), o -> (Integer) o.get(0))
            .batchSize(10);

    assertThatThrownBy(outer::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "queueSize of step 'u/0/x2' (5) must be at least batchSize (10): a queue holds whole"
                + " batches");
  }

  @Test
  void aQueueSmallerThanOneBatchStillHoldsOneBatch() {
    // a description the builder refuses, made directly, to reach the run's own guard
    Pipeline<Integer, Integer> small =
        Pipeline.<Integer>builder().step("x2", x -> x * 2).queueSize("x2", 5).build();
    Settings tenPerBatch = small.settings().withBatchSize(10);
    Pipeline<Integer, Integer> p = new Pipeline<>(small.stages(), tenPerBatch);

    assertThat(p.transform(List.of(1, 2, 3))).containsExactly(2, 4, 6);
  }

  @Test
  void theWatchdogFailsARunInWhichNoThreadCanMakeProgress() {
    // queues of no batch at all, as a run of the union had: nothing can ever pass
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("a", x -> x + 1).step("b", 2, x -> x * 2).build();
    Run run = new Run(p, false, null, size -> 0);
    run.start(feeder -> feeder.feed(List.of(1, 2, 3)));

    assertThatThrownBy(() -> run.collect((outputs, size) -> {}, "the test"))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith(
            "the pipeline run cannot make progress: all 4 of its threads wait for a queue or a"
                + " permit that none of them will free (queues, batches held/capacity: 0/0,");
  }

  @Test
  void aStepWaitingInUserCodeIsNotMistakenForAStuckRun() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "slow",
                x -> {
                  // everything else waits on queues meanwhile
                  release.await();
                  return x;
                })
            .queueBatches(1)
            .build();
    PipelineRun run = p.start(List.of(1, 2, 3, 4, 5).iterator(), items -> {});
    Thread.sleep(1_000); // longer than the watchdog's stall window (10 idle polls of 50 ms)
    assertThat(run.state()).isEqualTo(PipelineRun.State.RUNNING);
    release.countDown();
    run.await();
    assertThat(run.metrics().itemsOut()).isEqualTo(5);
  }
}
