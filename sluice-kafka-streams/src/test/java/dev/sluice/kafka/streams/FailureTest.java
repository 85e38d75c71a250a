package dev.sluice.kafka.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.dataflow.Dataflow;
import dev.sluice.dataflow.KV;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failing step stops the run on every instance and reaches the caller; an interrupt stops it. */
@Timeout(120)
class FailureTest extends OnBroker {
  static KafkaStreamsRunner runner(String name) {
    return KafkaStreamsRunner.on(broker.bootstrap())
        .applicationId("app-" + name)
        .input("in-" + name)
        .output("out-" + name)
        .partitions(2)
        .commitInterval(Duration.ofMillis(50))
        .stateDir(dir.resolve(name))
        .property("consumer.session.timeout.ms", "6000")
        .property("consumer.heartbeat.interval.ms", "500");
  }

  static Dataflow<Integer, KV<Integer, Integer>> failingAt(int bad, Exception failure) {
    return Dataflow.<Integer>builder()
        .map(
            (Integer i) -> {
              if (i == bad) {
                throw failure;
              }
              return KV.of(i % 3, i);
            })
        .reduceEpoch(Integer::sum)
        .capture()
        .build();
  }

  @Test
  void anExceptionInAStepEndsTheRunWithThatExceptionAsCause() {
    IllegalStateException boom = new IllegalStateException("boom at 42");
    KafkaStreamsRunner runner = runner("unchecked");
    runner.append(ContractFlows.numbers(100, 10));
    runner.endInput();

    assertThatThrownBy(() -> runner.run(failingAt(42, boom)))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("boom at 42")
        .cause()
        .isSameAs(boom);
  }

  @Test
  void aCheckedExceptionReachesTheCallerAsCauseToo() {
    IOException broken = new IOException("disk gone");
    KafkaStreamsRunner runner = runner("checked");
    runner.append(ContractFlows.numbers(50, 10));
    runner.endInput();

    assertThatThrownBy(() -> runner.run(failingAt(7, broken)))
        .isInstanceOf(SluiceException.class)
        .cause()
        .isSameAs(broken);
  }

  @Test
  void aFailureOnOneInstanceStopsTheOtherInstanceToo() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom on one instance");
    KafkaStreamsRunner runner = runner("two");
    runner.append(ContractFlows.numbers(100, 10));
    runner.endInput();
    Dataflow<Integer, KV<Integer, Integer>> flow = failingAt(61, boom);

    CompletableFuture<Throwable> a =
        CompletableFuture.supplyAsync(() -> failureOf(runner, flow, "a"));
    CompletableFuture<Throwable> b =
        CompletableFuture.supplyAsync(() -> failureOf(runner, flow, "b"));

    List<Throwable> failures = List.of(a.get(90, TimeUnit.SECONDS), b.get(90, TimeUnit.SECONDS));
    assertThat(failures).allMatch(f -> f instanceof SluiceException);
    assertThat(failures).anyMatch(f -> f.getCause() == boom);
  }

  private static Throwable failureOf(KafkaStreamsRunner runner, Dataflow<?, ?> flow, String name) {
    try {
      runner.stateDir(dir.resolve("two-" + name)).run(flow);
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  @Test
  void anInterruptStopsTheRunPromptly() throws Exception {
    KafkaStreamsRunner runner = runner("interrupt");
    runner.append(ContractFlows.numbers(20, 10));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                runner.run(failingAt(-1, new IllegalStateException("never")));
              } catch (Throwable e) {
                thrown.set(e);
              }
            });
    caller.start();
    Thread.sleep(3000);
    long start = System.nanoTime();
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(caller.isAlive()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(thrown.get())
        .isInstanceOf(SluiceException.class)
        .hasCauseInstanceOf(InterruptedException.class);
  }
}
