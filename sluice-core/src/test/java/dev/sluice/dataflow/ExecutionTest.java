package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.spi.Sink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The execution functions: run, runCluster, spawnCluster, clusterMain. */
@Timeout(20)
class ExecutionTest {

  private static final Dataflow<String, KV<String, Long>> WORD_COUNT =
      Dataflow.<String>builder()
          .flatMap(line -> Arrays.asList(line.split(" ")))
          .map(word -> KV.of(word, 1L))
          .reduceEpoch(Long::sum)
          .capture()
          .build();

  @AfterEach
  void noWorkerThreadIsLeftRunning() {
    assertThat(Mode.workerThreads()).isEmpty();
  }

  /** Seeded lines over a small vocabulary, in epochs of 50 lines. */
  private static List<Epoched<String>> text(int lines) {
    Random random = new Random(42);
    String[] words = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"};
    List<Epoched<String>> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      StringBuilder line = new StringBuilder();
      for (int w = 0, n = 1 + random.nextInt(12); w < n; w++) {
        line.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
      }
      out.add(Epoched.of(i / 50, line.toString()));
    }
    return out;
  }

  private static List<Epoched<KV<String, Long>>> countsOf(List<Epoched<String>> text) {
    Map<Long, Map<String, Long>> byEpoch = new java.util.TreeMap<>();
    for (Epoched<String> line : text) {
      for (String word : line.item().split(" ")) {
        byEpoch.computeIfAbsent(line.epoch(), e -> new HashMap<>()).merge(word, 1L, Long::sum);
      }
    }
    List<Epoched<KV<String, Long>>> out = new ArrayList<>();
    byEpoch.forEach(
        (epoch, counts) -> counts.forEach((w, c) -> out.add(Epoched.of(epoch, KV.of(w, c)))));
    return out;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wordCountGivesOneExactCountPerWordAndEpochInEveryMode(Mode mode) {
    List<Epoched<String>> text = text(1_000);

    List<Epoched<KV<String, Long>>> out = mode.execute(WORD_COUNT, text);

    assertThat(out).containsExactlyInAnyOrderElementsOf(countsOf(text));
  }

  @Test
  void runClusterReturnsPairsSortedByEpoch() {
    List<Epoched<KV<String, Long>>> out = Execution.runCluster(WORD_COUNT, text(500), 1, 3);

    assertThat(out).extracting(Epoched::epoch).isSorted();
    assertThat(out).containsExactlyInAnyOrderElementsOf(countsOf(text(500)));
  }

  @Test
  void runClusterHandsInputRoundRobinByPositionOverAllWorkers() {
    Map<String, List<Integer>> seen = Collections.synchronizedMap(new HashMap<>());
    var flow =
        Dataflow.<Integer>builder()
            .inspect(
                x ->
                    seen.computeIfAbsent(
                            Thread.currentThread().getName(),
                            name -> Collections.synchronizedList(new ArrayList<>()))
                        .add(x))
            .capture()
            .build();
    List<Epoched<Integer>> input = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      input.add(Epoched.of(0, i));
    }

    var out = Execution.runCluster(flow, input, 1, 3);

    assertThat(out).hasSize(10);
    assertThat(seen)
        .isEqualTo(
            Map.of(
                "sluice-dataflow-w0", List.of(0, 3, 6, 9),
                "sluice-dataflow-w1", List.of(1, 4, 7),
                "sluice-dataflow-w2", List.of(2, 5, 8)));
  }

  @Test
  void runRunsOnTheCallingThread() {
    Set<String> threads = Collections.synchronizedSet(new HashSet<>());
    var flow =
        Dataflow.<Integer>builder()
            .inspect(x -> threads.add(Thread.currentThread().getName()))
            .capture()
            .build();

    Execution.run(flow, Inputs.singleBatch(List.of(1, 2, 3)));

    assertThat(threads).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void spawnClusterRunsProcCountTimesWorkersPerProcNamedDaemonThreads() {
    Set<String> names = Collections.synchronizedSet(new HashSet<>());
    Set<Boolean> daemon = Collections.synchronizedSet(new HashSet<>());
    var flow =
        Dataflow.<Integer>builder()
            .inspect(
                x -> {
                  names.add(Thread.currentThread().getName());
                  daemon.add(Thread.currentThread().isDaemon());
                })
            .capture()
            .build();

    Execution.spawnCluster(
        flow, (i, n) -> Inputs.singleBatch(List.of(i)), (i, n) -> pair -> {}, 2, 2);

    assertThat(names)
        .containsExactlyInAnyOrder(
            "sluice-dataflow-w0", "sluice-dataflow-w1", "sluice-dataflow-w2", "sluice-dataflow-w3");
    assertThat(daemon).containsExactly(true);
  }

  @Test
  void spawnClusterCallsEachBuilderOncePerWorkerWithIndexAndCountOnThatWorkersThread() {
    List<String> inputCalls = Collections.synchronizedList(new ArrayList<>());
    List<String> outputCalls = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, List<Epoched<Integer>>> outputs = Collections.synchronizedMap(new HashMap<>());
    var flow = Dataflow.<Integer>builder().map(x -> x * 10).capture().build();

    Execution.spawnCluster(
        flow,
        (i, n) -> {
          inputCalls.add(i + "/" + n + "@" + Thread.currentThread().getName());
          return Inputs.fullyOrdered(List.of(i, i + 100));
        },
        (i, n) -> {
          outputCalls.add(i + "/" + n + "@" + Thread.currentThread().getName());
          List<Epoched<Integer>> mine = new ArrayList<>();
          outputs.put(i, mine);
          return mine::add;
        },
        1,
        3);

    assertThat(inputCalls)
        .containsExactlyInAnyOrder(
            "0/3@sluice-dataflow-w0", "1/3@sluice-dataflow-w1", "2/3@sluice-dataflow-w2");
    assertThat(outputCalls).containsExactlyInAnyOrderElementsOf(inputCalls);
    assertThat(outputs)
        .isEqualTo(
            Map.of(
                0, List.of(Epoched.of(0, 0), Epoched.of(1, 1000)),
                1, List.of(Epoched.of(0, 10), Epoched.of(1, 1010)),
                2, List.of(Epoched.of(0, 20), Epoched.of(1, 1020))));
  }

  @Test
  void spawnClusterClosesEachWorkersSinkAndCloseableInputIterator() {
    AtomicInteger sinksClosed = new AtomicInteger();
    AtomicInteger iteratorsClosed = new AtomicInteger();
    var flow = Dataflow.<Integer>builder().capture().build();

    Execution.spawnCluster(
        flow,
        (i, n) -> () -> new ClosingIterator<>(List.of(Epoched.of(0, i)), iteratorsClosed),
        (i, n) ->
            new Sink<>() {
              @Override
              public void write(Epoched<Integer> value) {}

              @Override
              public void close() {
                sinksClosed.incrementAndGet();
              }
            },
        1,
        4);

    assertThat(sinksClosed).hasValue(4);
    assertThat(iteratorsClosed).hasValue(4);
  }

  @Test
  void clusterMainWithOnlyThisProcessAddressRunsItsWorkersLocally() {
    List<Epoched<Integer>> out = Collections.synchronizedList(new ArrayList<>());
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    var flow = Dataflow.<Integer>builder().capture().build();

    Execution.clusterMain(
        flow,
        (i, n) -> {
          calls.add(i + "/" + n);
          return Inputs.singleBatch(List.of(i));
        },
        (i, n) -> out::add,
        List.of("localhost:2101"),
        0,
        2);

    assertThat(calls).containsExactlyInAnyOrder("0/2", "1/2");
    assertThat(out).containsExactlyInAnyOrder(Epoched.of(0, 0), Epoched.of(0, 1));
  }

  @Test
  void clusterMainWithNoAddressRunsLocallyAsBytewaxDoes() {
    List<Epoched<String>> out = Collections.synchronizedList(new ArrayList<>());
    var flow = Dataflow.<String>builder().capture().build();

    Execution.clusterMain(
        flow,
        (i, n) -> Inputs.fullyOrdered(List.of("a", "b", "c")),
        (i, n) -> out::add,
        List.of(),
        0,
        1);

    assertThat(out).containsExactly(Epoched.of(0, "a"), Epoched.of(1, "b"), Epoched.of(2, "c"));
  }

  @Test
  void clusterMainWithSeveralAddressesAndNoClusterRunnerFailsBeforeReadingInputNamingTheModule() {
    AtomicInteger builds = new AtomicInteger();
    var flow = Dataflow.<String>builder().capture().build();

    assertThatThrownBy(
            () ->
                Execution.clusterMain(
                    flow,
                    (i, n) -> {
                      builds.incrementAndGet();
                      return Inputs.singleBatch(List.of("x"));
                    },
                    (i, n) -> pair -> {},
                    List.of("host-a:2101", "host-b:2101"),
                    0,
                    1))
        .isExactlyInstanceOf(SluiceException.class)
        .hasMessageContaining("multi-process runs go through the Kafka Streams runner")
        .hasMessageContaining("add dev.sluice:sluice-kafka-streams to the classpath")
        .hasMessageContaining("[host-a:2101, host-b:2101]");
    assertThat(builds).hasValue(0);
  }

  @Test
  void clusterMainRejectsAProcessIdOutsideTheAddresses() {
    var flow = Dataflow.<String>builder().capture().build();

    assertThatThrownBy(
            () ->
                Execution.clusterMain(
                    flow,
                    (i, n) -> Inputs.singleBatch(List.of("x")),
                    (i, n) -> pair -> {},
                    List.of("localhost:2101"),
                    1,
                    1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("procId must be an index of addresses [localhost:2101]: 1");
  }

  @Test
  void clusterMainTakesParsedProcArgs() {
    List<Epoched<String>> out = Collections.synchronizedList(new ArrayList<>());
    var flow = Dataflow.<String>builder().capture().build();

    Execution.clusterMain(
        flow,
        (i, n) -> Inputs.singleBatch(List.of("w" + i)),
        (i, n) -> out::add,
        Parse.procArgs("-w2", "-p0", "-a", "localhost:2101"));

    assertThat(out).containsExactlyInAnyOrder(Epoched.of(0, "w0"), Epoched.of(0, "w1"));
  }

  @Test
  void runClusterTakesParsedClusterArgs() {
    var out =
        Execution.runCluster(
            WORD_COUNT, Inputs.singleBatch(List.of("a b", "a")), Parse.clusterArgs("-w2", "-n2"));

    assertThat(out)
        .containsExactlyInAnyOrder(Epoched.of(0, KV.of("a", 2L)), Epoched.of(0, KV.of("b", 1L)));
  }

  @Test
  void countsBelowOneAreRejectedBeforeAnyThreadStarts() {
    var flow = Dataflow.<String>builder().capture().build();

    assertThatThrownBy(() -> Execution.runCluster(flow, List.of(), 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("procCount must be at least 1: 0");
    assertThatThrownBy(
            () -> Execution.spawnCluster(flow, (i, n) -> List.of(), (i, n) -> p -> {}, 1, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workersPerProc must be at least 1: -2");
  }

  @Test
  void aWorkerWithNoInputStillClosesEpochsForTheOthers() {
    List<Epoched<KV<String, Long>>> out = Collections.synchronizedList(new ArrayList<>());

    Execution.spawnCluster(
        WORD_COUNT,
        (i, n) -> i == 0 ? Inputs.fullyOrdered(List.of("a a", "b")) : List.<Epoched<String>>of(),
        (i, n) -> out::add,
        1,
        4);

    assertThat(out)
        .containsExactlyInAnyOrder(Epoched.of(0, KV.of("a", 2L)), Epoched.of(1, KV.of("b", 1L)));
  }

  @Test
  void aDataflowCanBeRunAgainAndConcurrently() throws Exception {
    List<Epoched<String>> text = text(300);
    List<Epoched<KV<String, Long>>> expected = countsOf(text);
    List<Thread> callers = new ArrayList<>();
    List<List<Epoched<KV<String, Long>>>> results = Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < 3; c++) {
      Thread caller = new Thread(() -> results.add(Execution.runCluster(WORD_COUNT, text, 1, 2)));
      callers.add(caller);
      caller.start();
    }
    for (Thread caller : callers) {
      caller.join();
    }

    assertThat(results).hasSize(3);
    for (List<Epoched<KV<String, Long>>> result : results) {
      assertThat(result).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** An iterator that counts its closing. */
  static final class ClosingIterator<T> implements Iterator<T>, AutoCloseable {
    private final Iterator<T> items;
    private final AtomicInteger closed;

    ClosingIterator(List<T> items, AtomicInteger closed) {
      this.items = items.iterator();
      this.closed = closed;
    }

    @Override
    public boolean hasNext() {
      return items.hasNext();
    }

    @Override
    public T next() {
      return items.next();
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }
}
