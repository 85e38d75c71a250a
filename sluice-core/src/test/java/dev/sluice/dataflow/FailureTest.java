package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.SluiceException;
import dev.sluice.spi.Sink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** User failures end every run and reach the caller as themselves; interrupts stop runs. */
@Timeout(20)
class FailureTest {

  @AfterEach
  void noWorkerThreadIsLeftRunning() {
    assertThat(Mode.workerThreads()).isEmpty();
  }

  /** {@code count} numbers from 0, 100 to an epoch. */
  static List<Epoched<Integer>> numbers(int count) {
    List<Epoched<Integer>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(Epoched.of(i / 100, i));
    }
    return out;
  }

  /** Runs the flow that {@code flow} builds over 2,000 numbers and returns what it threw. */
  private static Throwable failIn(
      Mode mode, Function<Dataflow.Builder<Integer, Integer>, Dataflow<Integer, ?>> flow) {
    return catchThrowable(
        () -> mode.execute(flow.apply(Dataflow.<Integer>builder()), numbers(2_000)));
  }

  private static <T> T boom(Throwable failure) throws Exception {
    if (failure instanceof Exception) {
      throw (Exception) failure;
    }
    throw (Error) failure;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRuntimeExceptionInMapIsRethrownAsItself(Mode mode) {
    RuntimeException failure = new IllegalStateException("bad item");

    Throwable thrown =
        failIn(mode, b -> b.map(x -> x == 777 ? boom(failure) : x).capture().build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCheckedExceptionInInspectIsRethrownAsItself(Mode mode) {
    IOException failure = new IOException("disk gone");

    Throwable thrown =
        failIn(
            mode,
            b ->
                b.inspect(
                        x -> {
                          if (x == 777) {
                            throw failure;
                          }
                        })
                    .capture()
                    .build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anErrorInAReducerAfterTheExchangeIsRethrownAsItself(Mode mode) {
    AssertionError failure = new AssertionError("reducer broke");

    Throwable thrown =
        failIn(
            mode,
            b ->
                b.map(x -> KV.of(x % 10, x))
                    .reduceEpoch((Integer a, Integer v) -> v == 777 ? boom(failure) : a + v)
                    .capture()
                    .build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExceptionInIsCompleteIsRethrownAsItself(Mode mode) {
    RuntimeException failure = new RuntimeException("check broke");

    Throwable thrown =
        failIn(
            mode,
            b ->
                b.map(x -> KV.of(x % 10, x))
                    .reduce(Integer::sum, (Integer sum) -> sum > 50_000 ? boom(failure) : false)
                    .capture()
                    .build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExceptionInAStateBuilderIsRethrownAsItself(Mode mode) {
    RuntimeException failure = new RuntimeException("no state for you");

    Throwable thrown =
        failIn(
            mode,
            b ->
                b.map(x -> KV.of(x, x))
                    .statefulMap(
                        (Integer key) -> key == 777 ? boom(failure) : 0,
                        (Integer s, Integer v) -> StateUpdate.of(s, v))
                    .capture()
                    .build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExceptionInAStepAfterTwoExchangesIsRethrownAsItself(Mode mode) {
    RuntimeException failure = new RuntimeException("late step");

    Throwable thrown =
        failIn(
            mode,
            b ->
                b.map(x -> KV.of(x % 5, 1))
                    .reduceEpoch(Integer::sum)
                    .map(kv -> KV.of(kv.key(), kv.value()))
                    .statefulMap(
                        (Integer k) -> 0, (Integer s, Integer v) -> StateUpdate.of(s + v, s + v))
                    .filter(kv -> kv.value() > 150 ? boom(failure) : true)
                    .capture()
                    .build());

    assertThat(thrown).isSameAs(failure);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anExceptionFromTheInputIteratorIsRethrownAsItself(Mode mode) {
    RuntimeException failure = new RuntimeException("source broke");
    var flow = Dataflow.<Integer>builder().capture().build();
    Iterable<Epoched<Integer>> input =
        () ->
            new Iterator<>() {
              int next;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Epoched<Integer> next() {
                if (next == 500) {
                  throw failure;
                }
                return Epoched.of(0, next++);
              }
            };

    Throwable thrown =
        catchThrowable(
            () -> {
              switch (mode) {
                case RUN:
                  Execution.run(flow, input);
                  break;
                case RUN_CLUSTER_1X1:
                case RUN_CLUSTER_2X2:
                  Execution.runCluster(flow, input, 1, mode.workers());
                  break;
                default:
                  Execution.spawnCluster(
                      flow, (i, n) -> input, (i, n) -> p -> {}, 1, mode.workers());
              }
            });

    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void anExceptionFromAnInputBuilderIsRethrownAsItself() {
    RuntimeException failure = new RuntimeException("no input");
    var flow = Dataflow.<Integer>builder().capture().build();

    Throwable thrown =
        catchThrowable(
            () ->
                Execution.spawnCluster(
                    flow, (i, n) -> i == 2 ? boom(failure) : endless(), (i, n) -> p -> {}, 1, 3));

    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void aCheckedExceptionFromAnOutputBuilderIsRethrownAsItself() {
    Exception failure = new Exception("no output");
    var flow = Dataflow.<Integer>builder().capture().build();

    Throwable thrown =
        catchThrowable(
            () ->
                Execution.clusterMain(
                    flow,
                    (i, n) -> endless(),
                    (i, n) -> i == 1 ? boom(failure) : p -> {},
                    List.of(),
                    0,
                    2));

    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void anExceptionFromAnOutputSinkIsRethrownAsItselfAndEverySinkIsStillClosed() {
    IOException failure = new IOException("sink full");
    List<Integer> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
    var flow = Dataflow.<Integer>builder().capture().build();

    Throwable thrown =
        catchThrowable(
            () ->
                Execution.spawnCluster(
                    flow,
                    (i, n) -> i == 0 ? Inputs.singleBatch(List.of(1)) : endless(),
                    (i, n) ->
                        new Sink<Epoched<Integer>>() {
                          @Override
                          public void write(Epoched<Integer> value) throws IOException {
                            throw failure;
                          }

                          @Override
                          public void close() {
                            closed.add(i);
                          }
                        },
                    1,
                    3));

    assertThat(thrown).isSameAs(failure);
    assertThat(closed).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void aFailureClosingASinkAfterASuccessfulRunIsRethrown() {
    IOException failure = new IOException("flush failed");
    var flow = Dataflow.<Integer>builder().capture().build();

    Throwable thrown =
        catchThrowable(
            () ->
                Execution.spawnCluster(
                    flow,
                    (i, n) -> Inputs.singleBatch(List.of(i)),
                    (i, n) ->
                        new Sink<Epoched<Integer>>() {
                          @Override
                          public void write(Epoched<Integer> value) {}

                          @Override
                          public void close() throws IOException {
                            throw failure;
                          }
                        },
                    1,
                    2));

    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void aFailingWorkerStopsWorkersBlockedOnTheirInput() {
    RuntimeException failure = new RuntimeException("first item is poison");
    var flow =
        Dataflow.<Integer>builder()
            .map(x -> x < 0 ? boom(failure) : x)
            .map(x -> KV.of(x, x))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                Execution.spawnCluster(
                    flow,
                    (i, n) -> i == 0 ? Inputs.singleBatch(List.of(-1)) : blocking(),
                    (i, n) -> p -> {},
                    1,
                    3));

    // Workers 1 and 2 block in their input until interrupted; the class timeout guards a hang.
    assertThat(thrown).isSameAs(failure);
  }

  @Test
  void interruptingTheCallerOfRunStopsIt() throws Exception {
    var flow =
        Dataflow.<Integer>builder()
            .map(x -> KV.of(x % 3, 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    Outcome outcome = interruptWhileRunning(() -> Execution.run(flow, endless()));

    assertThat(outcome.thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("dataflow run interrupted; all workers stopped");
    assertThat(outcome.interruptFlagAfter).isTrue();
  }

  @Test
  void interruptingTheCallerOfRunClusterStopsEveryWorker() throws Exception {
    var flow =
        Dataflow.<Integer>builder()
            .map(x -> KV.of(x % 3, 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    Outcome outcome = interruptWhileRunning(() -> Execution.runCluster(flow, endless(), 1, 3));

    assertThat(outcome.thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessage("dataflow run interrupted; all workers stopped")
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(outcome.interruptFlagAfter).isTrue();
  }

  @Test
  void interruptingTheCallerOfSpawnClusterStopsBusyAndBlockedWorkers() throws Exception {
    var flow =
        Dataflow.<Integer>builder()
            .map(x -> KV.of(x % 3, 1))
            .reduceEpoch(Integer::sum)
            .capture()
            .build();

    Outcome outcome =
        interruptWhileRunning(
            () ->
                Execution.spawnCluster(
                    flow, (i, n) -> i == 0 ? blocking() : endless(), (i, n) -> p -> {}, 2, 2));

    assertThat(outcome.thrown)
        .isExactlyInstanceOf(SluiceException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(outcome.interruptFlagAfter).isTrue();
  }

  private static final class Outcome {
    Throwable thrown;
    boolean interruptFlagAfter;
  }

  /** Runs {@code body} on a caller thread, interrupts it once it runs, waits for it to end. */
  private static Outcome interruptWhileRunning(Runnable body) throws InterruptedException {
    Outcome outcome = new Outcome();
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> callerRef = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              started.countDown();
              try {
                body.run();
              } catch (Throwable t) {
                outcome.thrown = t;
              }
              outcome.interruptFlagAfter = Thread.currentThread().isInterrupted();
            },
            "test-caller");
    callerRef.set(caller);
    caller.start();
    started.await();
    Thread.sleep(100);
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(caller.isAlive()).as("the caller returned promptly").isFalse();
    return outcome;
  }

  /** Pairs in epoch 0 without end. */
  private static Iterable<Epoched<Integer>> endless() {
    return () ->
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Epoched<Integer> next() {
            return Epoched.of(0, next++);
          }
        };
  }

  /** An input whose first read blocks until the thread is interrupted. */
  private static Iterable<Epoched<Integer>> blocking() {
    return () ->
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("input interrupted", e);
            }
            return false;
          }

          @Override
          public Epoched<Integer> next() {
            throw new java.util.NoSuchElementException();
          }
        };
  }
}
