package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.testkit.ManualClock;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What bytewax users have and expect (issue 17, items 6–9). */
@Timeout(120)
class DataflowParityTest {

  /** A key type of the user's, with no stable hash of its own. */
  static final class Point {
    final int x;
    final int y;

    Point(int x, int y) {
      this.x = x;
      this.y = y;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Point p && p.x == x && p.y == y;
    }

    @Override
    public int hashCode() {
      return 31 * x + y;
    }

    @Override
    public String toString() {
      return "(" + x + "," + y + ")";
    }
  }

  // 6. the routing hash as public API, with encodings of the user's key types

  @Test
  void theRoutingHashIsPublicAndTheSameAsTheEnginesPinnedOne() {
    KeyRouting routing = KeyRouting.standard();

    assertThat(routing.hash("a")).isEqualTo(0x685fdf50e51fa977L).isEqualTo(KeyHash.hash("a"));
    assertThat(routing.hash(List.of("a", 1, true))).isEqualTo(0x662c9fb58e17e5efL);
    assertThat(routing.workerFor("a", 4)).isEqualTo(KeyHash.workerFor("a", 4));
    assertThatThrownBy(() -> routing.workerFor("a", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be at least 1: 0");
  }

  @Test
  void aRegisteredKeyTypeIsRoutedByItsEncodingToTheWorkerTheRoutingNames() {
    KeyRouting routing = KeyRouting.standard().with(Point.class, p -> List.of(p.x, p.y));
    Dataflow<Integer, KV<Point, Integer>> flow =
        Dataflow.<Integer>builder()
            .map(i -> KV.of(new Point(i % 5, i % 3), 1))
            .then(Operators.reduceEpoch(Integer::sum))
            .capture()
            .build()
            .routedBy(routing);
    Map<Point, Integer> workerOfKey = new ConcurrentHashMap<>();
    List<Epoched<KV<Point, Integer>>> all = Collections.synchronizedList(new ArrayList<>());
    List<Integer> numbers = range(300);

    Execution.spawnCluster(
        flow,
        (i, n) -> Inputs.singleBatch(Inputs.distribute(numbers, i, n)),
        (i, n) ->
            pair -> {
              workerOfKey.put(pair.item().key(), i);
              all.add(pair);
            },
        1,
        4);

    assertThat(all).hasSize(15);
    assertThat(all.stream().mapToInt(p -> p.item().value()).sum()).isEqualTo(300);
    workerOfKey.forEach((key, worker) -> assertThat(worker).isEqualTo(routing.workerFor(key, 4)));
    assertThat(routing.hash(new Point(1, 2))).isEqualTo(routing.hash(List.of(1, 2)));
    assertThat(routing.hash(List.of(new Point(1, 2))))
        .isEqualTo(routing.hash(List.of(List.of(1, 2))));
  }

  @Test
  void anUnregisteredKeyTypeIsRejectedNamingTheTypeAndHowToRegisterIt() {
    var flow =
        Dataflow.<Integer>builder()
            .map(i -> KV.of(new Point(i, i), i))
            .then(Operators.reduceEpoch(Integer::sum))
            .capture()
            .build();

    assertThatThrownBy(() -> Execution.run(flow, Inputs.singleBatch(List.of(1))))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("registered on KeyRouting")
        .hasMessageContaining("got " + Point.class.getName());
  }

  @Test
  void encodingsCannotReplaceBuiltInHashesNorReturnTheirOwnType() {
    assertThatThrownBy(() -> KeyRouting.standard().with(String.class, s -> s.length()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a key encoding cannot replace the stable hash java.lang.String already has");
    KeyRouting self = KeyRouting.standard().with(Point.class, p -> new Point(p.y, p.x));
    assertThatThrownBy(() -> self.hash(new Point(1, 2)))
        .isInstanceOf(SluiceException.class)
        .hasMessage(
            "a key encoding must give a value of another type than the key it encodes: "
                + Point.class.getName()
                + " gave "
                + Point.class.getName());
  }

  // 7. byte strings and immutable sets, stable across runs and JVMs

  @Test
  void byteStringsAndSetsHashByValueWhateverTheInstanceOrOrder() {
    KeyRouting routing = KeyRouting.standard();
    byte[] raw = {1, 2, (byte) 255};

    assertThat(routing.hash(Bytes.of(raw)))
        .isEqualTo(routing.hash(Bytes.of((byte) 1, (byte) 2, (byte) 255)));
    raw[0] = 9;
    assertThat(Bytes.of(raw)).isNotEqualTo(Bytes.of((byte) 1, (byte) 2, (byte) 255));
    assertThat(routing.hash(Set.of("a", "b", "c"))).isEqualTo(routing.hash(Set.of("c", "a", "b")));
    assertThat(routing.hash(Set.copyOf(List.of(3L, 1L, 2L))))
        .isEqualTo(routing.hash(Set.of(1L, 2L, 3L)));
    assertThat(routing.hash(Set.of(1, 2))).isNotEqualTo(routing.hash(List.of(1, 2)));
    assertThat(routing.hash(Set.of())).isNotEqualTo(routing.hash(List.of()));
    assertThatThrownBy(() -> routing.hash(new HashSet<>(Set.of("a"))))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("got java.util.HashSet");
    assertThatThrownBy(() -> routing.hash(new byte[] {1}))
        .isInstanceOf(SluiceException.class)
        .hasMessageContaining("got [B");
    assertThat(Bytes.of((byte) 10, (byte) -1)).hasToString("Bytes[0aff]");
  }

  @Test
  void byteStringAndSetHashesArePinnedAndTheSameInAnotherJvm(@TempDir File dir) throws Exception {
    String here = HashProbe.hashes();
    // Set.of iterates in an order salted per JVM: another JVM must still agree
    Process other =
        new ProcessBuilder(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp",
                System.getProperty("java.class.path"),
                HashProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    String there = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(there).isEqualTo(here);
    assertThat(here.lines().toList()).containsExactly(PINNED);
  }

  private static final String[] PINNED = {
    "f6dec0a97d995e76",
    "9353dfc8a195f3e2",
    "2e8f9c4e6de55a74",
    "f52edf218b6f1729",
    "719b36eff104b700",
    "bd614e568c7c1e5a"
  };

  @Test
  void byteStringAndSetKeysWorkInKeyedSteps() {
    var flow =
        Dataflow.<String>builder()
            .map(s -> KV.of(Bytes.of(s.getBytes(StandardCharsets.UTF_8)), Set.of(s.length())))
            .map(kv -> KV.of(kv.value(), 1))
            .then(Operators.reduceEpoch(Integer::sum))
            .capture()
            .build();

    List<Epoched<KV<Set<Integer>, Integer>>> out =
        Execution.runCluster(flow, Inputs.singleBatch(List.of("a", "bb", "c", "dd", "eee")), 1, 3);

    assertThat(out.stream().map(Epoched::item).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(KV.of(Set.of(1), 2), KV.of(Set.of(2), 2), KV.of(Set.of(3), 1));
  }

  // 8. tumblingEpoch on ingestion time

  @Test
  void tumblingEpochWithoutATimeGetterUsesIngestionTimeOnTheClock() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    List<Duration> gaps =
        List.of(
            Duration.ZERO,
            Duration.ofSeconds(4),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Duration.ofSeconds(25));
    Iterable<String> arriving =
        () ->
            new Iterator<>() {
              int next;

              @Override
              public boolean hasNext() {
                return next < gaps.size();
              }

              @Override
              public String next() {
                clock.advance(gaps.get(next));
                return "item" + next++;
              }
            };

    List<Epoched<String>> epochs = new ArrayList<>();
    Inputs.tumblingEpoch(arriving, Duration.ofSeconds(10), clock).forEach(epochs::add);

    assertThat(epochs.stream().map(Epoched::epoch).toList()).containsExactly(0L, 0L, 0L, 1L, 3L);
  }

  // 9. friction

  @Test
  void keyedOperatorsAreTypedToKvAtCompileTime(@TempDir File dir) throws Exception {
    var flow =
        Dataflow.<String>builder()
            .map(word -> KV.of(word, 1L))
            .then(Operators.reduceEpoch((a, b) -> a + b))
            .then(
                Operators.statefulMap(
                    (String key) -> 0L,
                    (Long total, Long n) -> StateUpdate.of(total + n, key(total + n))))
            .capture()
            .build();
    assertThat(Execution.run(flow, Inputs.singleBatch(List.of("a", "b", "a"))))
        .containsExactly(Epoched.of(0, KV.of("a", "n2")), Epoched.of(0, KV.of("b", "n1")));

    String good =
        "var f = dev.sluice.dataflow.Dataflow.<String>builder().map(w -> dev.sluice.dataflow.KV.of(w, 1L))"
            + ".then(dev.sluice.dataflow.Operators.reduceEpoch(Long::sum)).capture().build();";
    String notKv =
        "var f = dev.sluice.dataflow.Dataflow.<String>builder()"
            + ".then(dev.sluice.dataflow.Operators.reduceEpoch(Long::sum)).capture().build();";
    String wrongValue =
        "var f = dev.sluice.dataflow.Dataflow.<String>builder().map(w -> dev.sluice.dataflow.KV.of(w, \"x\"))"
            + ".then(dev.sluice.dataflow.Operators.reduceEpoch(Long::sum)).capture().build();";
    assertThat(compiles(dir, good)).isTrue();
    assertThat(compiles(dir, notKv)).isFalse();
    assertThat(compiles(dir, wrongValue)).isFalse();
  }

  private static String key(long n) {
    return "n" + n;
  }

  private static boolean compiles(File dir, String statement) throws Exception {
    File source = new File(dir, "Snippet.java");
    java.nio.file.Files.writeString(
        source.toPath(), "class Snippet { void f() { " + statement + " } }");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            java.io.OutputStream.nullOutputStream(),
            java.io.OutputStream.nullOutputStream(),
            "-d",
            dir.getPath(),
            "-cp",
            System.getProperty("java.class.path"),
            source.getPath());
    return status == 0;
  }

  @Test
  void aSecondCaptureCanKeepTheOutputType() {
    Dataflow<Integer, String> flow =
        Dataflow.<Integer>builder()
            .capture(x -> "in " + x)
            .map(x -> x * 10)
            .capture(x -> "out " + x)
            .build();

    assertThat(Execution.run(flow, Inputs.singleBatch(List.of(1, 2))).stream().map(Epoched::item))
        .containsExactly("in 1", "out 10", "in 2", "out 20");
  }

  @Test
  void flatMapTakesArraysAndStreams() {
    Dataflow<String, String> words =
        Dataflow.<String>builder().flatMapArray(line -> line.split(" ")).capture().build();
    Dataflow<String, String> lines =
        Dataflow.<String>builder().flatMapStream(String::lines).capture().build();
    Dataflow<String, Integer> empty =
        Dataflow.<String>builder().flatMapStream(s -> Stream.<Integer>empty()).capture().build();

    assertThat(items(Execution.run(words, Inputs.singleBatch(List.of("to be", "or")))))
        .containsExactly("to", "be", "or");
    assertThat(items(Execution.run(lines, Inputs.singleBatch(List.of("a\nb", "c")))))
        .containsExactly("a", "b", "c");
    assertThat(Execution.run(empty, Inputs.singleBatch(List.of("x")))).isEmpty();
  }

  @Test
  void numericTimestampsAreAccepted() {
    record Event(long millis, String name) {}
    List<Event> events =
        List.of(
            new Event(1_000, "a"),
            new Event(3_500, "c"),
            new Event(2_000, "b"),
            new Event(12_000, "d"),
            new Event(100, "late"));
    List<Event> dropped = new ArrayList<>();

    Iterable<Epoched<Event>> epochs =
        Inputs.tumblingEpoch(
            Inputs.sortedWindow(events, 2_000, Event::millis, dropped::add),
            5_000,
            Event::millis,
            0,
            0);

    List<String> out = new ArrayList<>();
    epochs.forEach(e -> out.add(e.epoch() + ":" + e.item().name()));
    assertThat(out).containsExactly("0:a", "0:b", "0:c", "2:d");
    assertThat(dropped).extracting(Event::name).containsExactly("late");
    assertThat(
            items(
                Arrays.asList(
                    Inputs.tumblingEpoch(List.of(7L, 9L, 31L), 10, t -> t).iterator().next())))
        .containsExactly(7L);
  }

  private static <T> List<T> items(List<Epoched<T>> pairs) {
    return pairs.stream().map(Epoched::item).toList();
  }

  private static List<Integer> range(int n) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i);
    }
    return out;
  }
}
