package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.SluiceException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interrupt of the caller or a failure in one worker stops every execution mode within a few
 * items, and an interrupt reaches the caller with the {@link InterruptedException} as its cause.
 */
@Timeout(60)
class StopPromptlyTest {

  @AfterEach
  void noWorkerThreadIsLeftRunning() {
    Thread.interrupted();
    assertThat(Mode.workerThreads()).isEmpty();
  }

  /** Items a mode may still map once it was told to stop: one in flight per worker, and slack. */
  private static int few(Mode mode) {
    return 2 * mode.workers() + 2;
  }

  @ParameterizedTest
  @ValueSource(ints = {1_000, 2_000})
  void runOnAnInterruptedThreadMapsNothingAndSaysWhy(int items) {
    AtomicInteger mapped = new AtomicInteger();
    var flow = Dataflow.<Integer>builder().map(x -> mapped.incrementAndGet()).capture().build();

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> Execution.run(flow, FailureTest.numbers(items)));
    boolean flagAfter = Thread.interrupted();

    assertThat(thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("dataflow run interrupted; all workers stopped")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagAfter).as("interrupt flag set again").isTrue();
    assertThat(mapped.get()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anInterruptedCallerStopsEveryModeAtOnce(Mode mode) {
    AtomicInteger mapped = new AtomicInteger();
    var flow = Dataflow.<Integer>builder().map(x -> mapped.incrementAndGet()).capture().build();

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> mode.execute(flow, FailureTest.numbers(1_000)));
    boolean flagAfter = Thread.interrupted();

    assertThat(thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagAfter).as("interrupt flag set again").isTrue();
    assertThat(mapped.get()).isLessThanOrEqualTo(few(mode));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anInterruptDuringTheRunStopsEveryModeWithinAFewItems(Mode mode) {
    Thread caller = Thread.currentThread();
    AtomicInteger mapped = new AtomicInteger();
    CountDownLatch stopped = new CountDownLatch(1);
    var flow =
        Dataflow.<Integer>builder()
            .map(
                x -> {
                  if (mapped.incrementAndGet() == 1) {
                    caller.interrupt();
                    // the run interrupts its workers when it stops; the caller's thread is one
                    awaitOwnInterrupt();
                    stopped.countDown();
                  } else {
                    awaitUninterruptibly(stopped);
                  }
                  return x;
                })
            .capture()
            .build();

    Throwable thrown = catchThrowable(() -> mode.execute(flow, FailureTest.numbers(1_000)));
    boolean flagAfter = Thread.interrupted();

    assertThat(thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("dataflow run interrupted; all workers stopped")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(flagAfter).as("interrupt flag set again").isTrue();
    assertThat(mapped.get()).isLessThanOrEqualTo(few(mode));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingWorkerStopsTheOthersWithinAFewItems(Mode mode) {
    AtomicInteger mapped = new AtomicInteger();
    IllegalStateException failure = new IllegalStateException("boom");
    var flow =
        Dataflow.<Integer>builder()
            .map(
                x -> {
                  if (mapped.incrementAndGet() == 1) {
                    throw failure;
                  }
                  // every other worker is mid-input here; the failure interrupts it
                  awaitOwnInterrupt();
                  return x;
                })
            .capture()
            .build();

    Throwable thrown = catchThrowable(() -> mode.execute(flow, FailureTest.numbers(1_000)));

    assertThat(thrown).isSameAs(failure);
    assertThat(mapped.get()).isLessThanOrEqualTo(few(mode));
  }

  /** Waits, at most 10 s, until this thread is interrupted; leaves the flag set. */
  private static void awaitOwnInterrupt() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await(10, TimeUnit.SECONDS);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
