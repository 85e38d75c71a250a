package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.spi.Sink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineFailureTest {
  private static final Duration NO_HANG = Duration.ofSeconds(20);

  @AfterEach
  void noThreadOutlivesARun() {
    Threads.assertNoPipelineThreads();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void shouldThrowInsteadOfHangingWhenAStepFailsWithQueueSizeOneAndManyBatches() {
    IllegalStateException bad = new IllegalStateException("bad item 5000");
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("first", x -> x + 1)
            .step(
                "middle",
                2,
                x -> {
                  if (x == 5001) {
                    throw bad;
                  }
                  return x;
                })
            .step("last", 3, x -> x - 1)
            .queueSize(1)
            .batchSize(1)
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(20_000))));

    assertThat(thrown).hasMessage("step 'middle' failed on batch 5000: " + bad).hasCause(bad);
    assertThat(thrown.getCause()).isSameAs(bad);
    assertThat(thrown.step()).contains("middle");
    assertThat(thrown.batchSequence()).hasValue(5000);
  }

  private static PipelineException catchPipelineException(Runnable run) {
    try {
      run.run();
    } catch (PipelineException e) {
      return e;
    }
    throw new AssertionError("expected a PipelineException");
  }

  @Test
  void shouldReportAJavaErrorInAStepAsAPipelineExceptionWithTheErrorAsCause() {
    StackOverflowError error = new StackOverflowError("deep");
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "deep",
                2,
                x -> {
                  if (x == 77) {
                    throw error;
                  }
                  return x;
                })
            .batchSize(10)
            .queueSize(10)
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(1000))));

    assertThat(thrown.getCause()).isSameAs(error);
    assertThat(thrown.step()).contains("deep");
    assertThat(thrown.batchSequence()).hasValue(7);
  }

  @Test
  void shouldRunCleanlyAgainAfterAFailure() {
    AtomicBoolean failing = new AtomicBoolean(true);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "flaky",
                3,
                x -> {
                  if (failing.get() && x == 300) {
                    throw new IllegalArgumentException("flaky " + x);
                  }
                  return x * 2;
                })
            .batchSize(4)
            .queueSize(8)
            .build();

    assertThatThrownBy(() -> p.transform(range(1000))).isInstanceOf(PipelineException.class);
    Threads.assertNoPipelineThreads();
    failing.set(false);

    assertThat(p.transform(range(1000)))
        .isEqualTo(range(1000).stream().map(x -> x * 2).collect(Collectors.toList()));
  }

  @Test
  void shouldLeaveNoThreadAfterSuccessFailureAndCancel() throws Exception {
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step("a", 2, x -> x)
            .step(
                "b",
                3,
                x -> {
                  if (x < 0) {
                    throw new IllegalStateException("negative");
                  }
                  return x;
                })
            .batchSize(2)
            .queueSize(4)
            .build();

    p.transform(range(100));
    assertThat(Threads.pipelineThreads()).isEmpty();

    assertThatThrownBy(() -> p.transform(List.of(1, 2, -3, 4)))
        .isInstanceOf(PipelineException.class);
    assertThat(Threads.pipelineThreads()).isEmpty();

    CountDownLatch wrote = new CountDownLatch(1);
    PipelineRun run = p.start(endless(), x -> wrote.countDown());
    assertThat(wrote.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Threads.pipelineThreads())
        .contains("sluice-pipeline-a-1", "sluice-pipeline-a-2", "sluice-pipeline-b-3")
        .contains("sluice-pipeline-feed", "sluice-pipeline-collect");
    run.close();
    assertThat(run.state()).isEqualTo(PipelineRun.State.CANCELLED);
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
  void shouldCancelAStepBlockedElsewhereWhenAnotherStepFails() {
    CountDownLatch never = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "blocks",
                2,
                x -> {
                  if (x == 0) {
                    never.await();
                  }
                  return x;
                })
            .step(
                "fails",
                x -> {
                  if (x == 5) {
                    throw new IllegalStateException("five");
                  }
                  return x;
                })
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.transform(range(10))));

    assertThat(thrown.step()).contains("fails");
    assertThat(thrown.batchSequence()).hasValue(5);
  }

  @Test
  void shouldStopPromptlyWhenTheCallingThreadIsInterrupted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "waits",
                x -> {
                  entered.countDown();
                  never.await();
                  return x;
                })
            .build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                p.transform(range(10));
              } catch (Throwable e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    caller.interrupt();
    caller.join(NO_HANG.toMillis());

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(PipelineException.class)
        .hasMessage("the pipeline run was interrupted")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(stillInterrupted).isTrue();
  }

  @Test
  void shouldStopPromptlyOnCloseAndReportTheRunAsCancelled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "waits",
                x -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                  return x;
                })
            .build();
    PipelineRun run = p.start(endless(), x -> {});
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(run.state()).isEqualTo(PipelineRun.State.RUNNING);

    assertTimeoutPreemptively(NO_HANG, run::close);

    assertThat(run.state()).isEqualTo(PipelineRun.State.CANCELLED);
    assertThatThrownBy(run::await)
        .isInstanceOf(PipelineException.class)
        .hasMessage("the pipeline run was closed");
    run.close();
  }

  @Test
  void shouldReportAFailingFeed() {
    RuntimeException broken = new RuntimeException("feed broke");
    Iterator<Integer> feed =
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Integer next() {
            if (next == 12) {
              throw broken;
            }
            return next++;
          }
        };
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("id", x -> x).batchSize(5).queueSize(5).build();

    assertThatThrownBy(() -> p.stream(feed, x -> {}))
        .isInstanceOf(PipelineException.class)
        .hasMessage("the feed failed before batch 2: " + broken)
        .hasCause(broken)
        .satisfies(e -> assertThat(((PipelineException) e).step()).isEmpty());
  }

  @Test
  void shouldReportAFailingSinkWithTheBatch() {
    IllegalStateException full = new IllegalStateException("sink full");
    List<Integer> written = new ArrayList<>();
    Sink<Integer> sink =
        x -> {
          if (written.size() == 25) {
            throw full;
          }
          written.add(x);
        };
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder().step("id", 2, x -> x).batchSize(10).queueSize(10).build();

    assertThatThrownBy(() -> p.stream(range(100).iterator(), sink))
        .isInstanceOf(PipelineException.class)
        .hasMessage("the sink failed on batch 2: " + full)
        .hasCause(full);
    assertThat(written).isEqualTo(range(25));
  }

  @Test
  void shouldInterruptASinkBlockedWhenAStepFailsAndClearThatInterrupt() {
    CountDownLatch never = new CountDownLatch(1);
    Sink<Integer> stuck = x -> never.await();
    Pipeline<Integer, Integer> p =
        Pipeline.<Integer>builder()
            .step(
                "fails-later",
                x -> {
                  if (x == 50) {
                    throw new IllegalStateException("fifty");
                  }
                  return x;
                })
            .build();

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG, () -> catchPipelineException(() -> p.stream(range(100).iterator(), stuck)));

    assertThat(thrown.step()).contains("fails-later");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void shouldNotHangWhenAThreadOfTheRunDiesWithoutReporting() {
    Pipeline<Integer, Integer> p = Pipeline.<Integer>builder().step("id", x -> x).build();
    Run run = new Run(p, false, null);
    OutOfMemoryError died = new OutOfMemoryError("simulated: the feed thread died");
    run.start(
        feeder -> {
          throw died;
        });

    PipelineException thrown =
        assertTimeoutPreemptively(
            NO_HANG,
            () -> catchPipelineException(() -> run.collect((outputs, size) -> {}, "test")));

    assertThat(thrown).hasMessageStartingWith("a pipeline thread died").hasCause(died);
  }
}
