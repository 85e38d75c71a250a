package dev.sluice.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input helpers, checked against bytewax's own examples and tests. */
class InputsTest {

  record Event(Instant timestamp, String value) {}

  private static Instant at(int second) {
    return Instant.parse("2022-02-22T01:02:00Z").plusSeconds(second);
  }

  private static <T> List<T> list(Iterable<T> items) {
    List<T> out = new ArrayList<>();
    items.forEach(out::add);
    return out;
  }

  @Test
  void singleBatchPutsEveryItemInEpochZero() {
    assertThat(list(Inputs.singleBatch(List.of("a", "b", "c"))))
        .containsExactly(Epoched.of(0, "a"), Epoched.of(0, "b"), Epoched.of(0, "c"));
  }

  @Test
  void fullyOrderedGivesEachItemTheNextEpoch() {
    assertThat(list(Inputs.fullyOrdered(List.of("a", "b", "c"))))
        .containsExactly(Epoched.of(0, "a"), Epoched.of(1, "b"), Epoched.of(2, "c"));
  }

  @Test
  void helpersCanBeIteratedAgainFromTheStart() {
    Iterable<Epoched<String>> epochs = Inputs.fullyOrdered(List.of("a", "b"));

    assertThat(list(epochs)).isEqualTo(list(epochs));
  }

  @Test
  void tumblingEpochStartsAtTheFirstItemAsInBytewaxsExample() {
    List<Event> items =
        List.of(new Event(at(3), "a"), new Event(at(4), "b"), new Event(at(8), "c"));

    var out = list(Inputs.tumblingEpoch(items, Duration.ofSeconds(2), Event::timestamp));

    assertThat(out).extracting(Epoched::epoch).containsExactly(0L, 0L, 2L);
    assertThat(out).extracting(e -> e.item().value()).containsExactly("a", "b", "c");
  }

  @Test
  void tumblingEpochCountsFromAGivenStartTimeAndStartEpoch() {
    List<Event> items =
        List.of(new Event(at(3), "a"), new Event(at(4), "b"), new Event(at(9), "c"));

    var out =
        list(Inputs.tumblingEpoch(items, Duration.ofSeconds(2), Event::timestamp, at(0), 100));

    assertThat(out).extracting(Epoched::epoch).containsExactly(101L, 102L, 104L);
  }

  @Test
  void tumblingEpochTruncatesTowardZeroForTimesBeforeTheStartAsPythonsIntDoes() {
    List<Event> items =
        List.of(new Event(at(9), "a"), new Event(at(10), "b"), new Event(at(3), "c"));

    var out = list(Inputs.tumblingEpoch(items, Duration.ofSeconds(4), Event::timestamp, at(10), 0));

    // (9 - 10) / 4 = -0.25 -> 0; (3 - 10) / 4 = -1.75 -> -1
    assertThat(out).extracting(Epoched::epoch).containsExactly(0L, 0L, -1L);
  }

  @Test
  void tumblingEpochNeedsAPositiveLength() {
    assertThatThrownBy(
            () -> Inputs.tumblingEpoch(List.of("a"), Duration.ZERO, x -> Instant.EPOCH, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length must be positive: PT0S");
  }

  @Test
  void tumblingEpochRunsThroughAFlow() {
    List<Event> items =
        List.of(new Event(at(3), "a"), new Event(at(4), "b"), new Event(at(8), "c"));
    var flow = Dataflow.<Event>builder().map(Event::value).capture().build();

    var out =
        Execution.run(flow, Inputs.tumblingEpoch(items, Duration.ofSeconds(2), Event::timestamp));

    assertThat(out).containsExactly(Epoched.of(0, "a"), Epoched.of(0, "b"), Epoched.of(2, "c"));
  }

  @Test
  void sortedWindowSortsAndDropsAsInBytewaxsTest() {
    List<Event> items =
        List.of(
            new Event(at(4), "b"),
            new Event(at(5), "c"),
            new Event(at(6), "d"),
            new Event(at(3), "a"),
            new Event(at(6), "d"),
            new Event(at(8), "f"),
            new Event(at(7), "e"));
    List<Event> dropped = new ArrayList<>();

    var out =
        list(Inputs.sortedWindow(items, Duration.ofSeconds(2), Event::timestamp, dropped::add));

    assertThat(out).extracting(Event::value).containsExactly("b", "c", "d", "d", "e", "f");
    assertThat(dropped).containsExactly(new Event(at(3), "a"));
  }

  @Test
  void sortedWindowDropsAnItemExactlyOnTheDropLineAsBytewaxDoes() {
    List<Event> items =
        List.of(new Event(at(4), "c"), new Event(at(3), "b"), new Event(at(0), "a"));
    List<Event> dropped = new ArrayList<>();

    var out =
        list(Inputs.sortedWindow(items, Duration.ofSeconds(2), Event::timestamp, dropped::add));

    assertThat(out).extracting(Event::value).containsExactly("b", "c");
    assertThat(dropped).extracting(Event::value).containsExactly("a");

    var onLine = List.of(new Event(at(4), "y"), new Event(at(2), "x"));
    assertThat(list(Inputs.sortedWindow(onLine, Duration.ofSeconds(2), Event::timestamp)))
        .extracting(Event::value)
        .containsExactly("y");
  }

  @Test
  void sortedWindowEmitsAsSoonAsANewerItemPassesTheWindow() {
    List<String> pulled = new ArrayList<>();
    Iterable<Event> source =
        () ->
            List.of(new Event(at(0), "a"), new Event(at(1), "b"), new Event(at(5), "c")).stream()
                .peek(e -> pulled.add(e.value()))
                .iterator();

    var iterator = Inputs.sortedWindow(source, Duration.ofSeconds(2), Event::timestamp).iterator();

    assertThat(iterator.next().value()).isEqualTo("a");
    assertThat(pulled).containsExactly("a", "b", "c");
    assertThat(iterator.next().value()).isEqualTo("b");
    assertThat(iterator.next().value()).isEqualTo("c");
    assertThat(iterator.hasNext()).isFalse();
  }

  @Test
  void sortedWindowKeepsInputOrderForEqualTimes() {
    List<Event> items =
        List.of(
            new Event(at(1), "x"),
            new Event(at(1), "y"),
            new Event(at(0), "w"),
            new Event(at(1), "z"));

    assertThat(list(Inputs.sortedWindow(items, Duration.ofSeconds(5), Event::timestamp)))
        .extracting(Event::value)
        .containsExactly("w", "x", "y", "z");
  }

  @Test
  void sortedWindowWithZeroLengthPassesOrderedInputThrough() {
    List<Event> items =
        List.of(new Event(at(1), "a"), new Event(at(2), "b"), new Event(at(3), "c"));

    assertThat(list(Inputs.sortedWindow(items, Duration.ZERO, Event::timestamp)))
        .extracting(Event::value)
        .containsExactly("a", "b", "c");
  }

  @Test
  void distributeGivesEachBucketEveryCountthItem() {
    List<String> colors = List.of("blue", "green", "red");

    assertThat(list(Inputs.distribute(colors, 0, 2))).containsExactly("blue", "red");
    assertThat(list(Inputs.distribute(colors, 1, 2))).containsExactly("green");
    assertThat(list(Inputs.distribute(colors, 3, 5))).isEmpty();
    assertThatThrownBy(() -> Inputs.distribute(colors, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index must be in [0, count) and count at least 1: index 2, count 2");
  }

  @Test
  void aTimeGetterFailureIsThrownAsItselfFromTheIteration() {
    IllegalStateException failure = new IllegalStateException("no clock");
    Iterable<Epoched<String>> epochs =
        Inputs.tumblingEpoch(
            List.of("a"),
            Duration.ofSeconds(1),
            item -> {
              throw failure;
            });

    assertThatThrownBy(() -> list(epochs)).isSameAs(failure);
  }
}
