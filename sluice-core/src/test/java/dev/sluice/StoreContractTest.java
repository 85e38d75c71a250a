package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules every store backend keeps. Each backend's tests subclass this and say how to reach a
 * store; the suite ships in sluice-core's test-jar.
 */
public abstract class StoreContractTest {
  /** A value type for tests. */
  public record Tick(int producer, long seq) {}

  protected ManualClock clock;
  protected Store store;

  /** A URL naming a fresh, empty store for this test; the same URL each time it is called. */
  protected abstract String url();

  /** Whether a store keeps its streams after its last handle is closed. */
  protected abstract boolean persistent();

  protected Store open() {
    return Sluice.open(url(), StoreOptions.defaults().clock(clock));
  }

  @BeforeEach
  void openStore() {
    clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void offsetsAreDenseAndOrdered() {
    EventStream<Map<String, Object>> s = store.stream("orders");
    for (int i = 0; i < 100; i++) {
      assertThat(s.append(Map.of("i", i))).isEqualTo(i);
    }
    List<Record<Map<String, Object>>> read = s.read(0, 1000);
    assertThat(read).hasSize(100);
    for (int i = 0; i < 100; i++) {
      Record<Map<String, Object>> r = read.get(i);
      assertThat(r.offset()).isEqualTo(i);
      assertThat(r.value()).containsEntry("i", i);
      assertThat(r.stream()).isEqualTo("orders");
      assertThat(r.partition()).isZero();
    }
    assertThat(s.read(40, 5)).extracting(Record::offset).containsExactly(40L, 41L, 42L, 43L, 44L);
    assertThat(s.read(100, 5)).isEmpty();
  }

  @Test
  void keysAndTypedValuesRoundTrip() {
    EventStream<Tick> s = store.stream("ticks", Tick.class);
    s.append("k1", new Tick(1, 7));
    s.append(new Tick(2, 8));
    List<Record<Tick>> read = s.read(0, 10);
    assertThat(read).extracting(Record::key).containsExactly("k1", null);
    assertThat(read).extracting(Record::value).containsExactly(new Tick(1, 7), new Tick(2, 8));
  }

  @Test
  void timestampsComeFromTheStoreClockAndNeverDecrease() {
    EventStream<Map<String, Object>> s = store.stream("t");
    s.append(Map.of("n", 1));
    clock.advance(Duration.ofSeconds(10));
    s.append(Map.of("n", 2));
    clock.advance(Duration.ofSeconds(-60)); // the wall clock stepped back
    s.append(Map.of("n", 3));
    clock.advance(Duration.ofSeconds(120));
    s.append(Map.of("n", 4));
    List<Instant> ts = s.read(0, 10).stream().map(Record::timestamp).toList();
    Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
    assertThat(ts).containsExactly(t0, t0.plusSeconds(10), t0.plusSeconds(10), t0.plusSeconds(70));
  }

  @Test
  void appendAllIsAtomicAndContiguous() {
    EventStream<Map<String, Object>> s = store.stream("batch");
    s.append(Map.of("before", true));
    List<Map<String, Object>> values = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      values.add(Map.of("i", i));
    }
    assertThat(s.appendAll(values)).isEqualTo(1);
    assertThat(s.metadata().recordCount()).isEqualTo(1001);
    assertThat(s.read(1, 2000))
        .extracting(r -> r.value().get("i"))
        .containsExactlyElementsOf(values.stream().map(v -> v.get("i")).toList());
    assertThat(s.appendAll(List.of())).isEqualTo(-1);
  }

  @Test
  void appendAllWritesNothingWhenOneValueCannotBeEncoded() {
    EventStream<Map<String, Object>> s = store.stream("bad");
    List<Map<String, Object>> values = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      values.add(Map.of("i", i));
    }
    values.add(Map.of("oops", new Object()));
    values.add(Map.of("i", 11));
    assertThatThrownBy(() -> s.appendAll(values))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot encode")
        .hasMessageContaining("\"bad\"");
    assertThat(s.metadata().recordCount()).isZero();
    assertThat(s.read(0, 100)).isEmpty();
  }

  @Test
  void aLargeAppendAllWritesNothingWhenALateValueCannotBeEncoded() {
    EventStream<Map<String, Object>> s = store.stream("bad");
    List<Map<String, Object>> values = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      values.add(i == 1_777 ? Map.of("oops", new Object()) : Map.of("i", i));
    }
    assertThatThrownBy(() -> s.appendAll(values)).isInstanceOf(CodecException.class);
    assertThat(s.metadata().recordCount()).isZero();
    values.set(1_777, Map.of("i", 1_777));
    assertThat(s.appendAll(values)).isZero();
    assertThat(readAll(s))
        .extracting(r -> r.value().get("i"))
        .containsExactlyElementsOf(values.stream().map(v -> v.get("i")).toList());
  }

  @Test
  void aValueJacksonCannotSerializeIsRejectedAndNothingIsWritten() {
    EventStream<Map<String, Object>> s = store.stream("bad");
    assertThatThrownBy(() -> s.append(Map.of("x", new Object())))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Object");
    assertThatThrownBy(() -> s.appendAsync(Map.of("x", new Object())))
        .isInstanceOf(CodecException.class);
    assertThat(s.metadata().recordCount()).isZero();
    assertThat(s.append(Map.of("ok", 1))).isZero();
  }

  @Test
  void eightThreadsAppendingConcurrentlyLoseNothingAndKeepEachThreadsOrder() throws Exception {
    EventStream<Tick> s = store.stream("concurrent", Tick.class);
    int threads = 8;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < threads; p++) {
      int producer = p;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  if (i % 3 == 0) {
                    s.appendAsync(new Tick(producer, i));
                  } else {
                    s.append(new Tick(producer, i));
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    s.append(new Tick(-1, 0)); // after every pending async append of this store
    List<Record<Tick>> all = readAll(s);
    assertThat(all).hasSize(threads * perThread + 1);
    Map<Integer, Long> next = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).offset()).isEqualTo(i);
      Tick t = all.get(i).value();
      if (t.producer() >= 0) {
        assertThat(t.seq()).isEqualTo(next.getOrDefault(t.producer(), 0L));
        next.put(t.producer(), t.seq() + 1);
      }
    }
    assertThat(next.values()).containsOnly((long) perThread);
  }

  @Test
  void appendAsyncCompletesWithOffsets() {
    EventStream<Map<String, Object>> s = store.stream("async");
    List<CompletableFuture<Long>> offsets = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      offsets.add(s.appendAsync("k", Map.of("i", i)));
    }
    for (int i = 0; i < 500; i++) {
      assertThat(offsets.get(i).join()).isEqualTo(i);
    }
  }

  @Test
  void closeAndReopenKeepsEverythingWhileTheStoreLives() {
    EventStream<Map<String, Object>> s = store.stream("kept");
    s.appendAll(List.of(Map.of("a", 1), Map.of("a", 2)));
    s.retention(Retention.count(10));
    store.stream("other").append(Map.of("b", 1));
    StreamMetadata before = s.metadata();

    Store keeper = persistent() ? null : open();
    store.close();
    store = open();
    assertThat(store.streams()).containsExactly("kept", "other");
    StreamMetadata after = store.metadata("kept").orElseThrow();
    assertThat(after).isEqualTo(before);
    assertThat(store.stream("kept").read(0, 10))
        .extracting(r -> r.value().get("a"))
        .containsExactly(1, 2);
    assertThat(store.stream("kept").append(Map.of("a", 3))).isEqualTo(2);
    if (keeper != null) {
      keeper.close();
      store.close();
      store = open();
      assertThat(store.streams()).as("memory is released with the last handle").isEmpty();
    }
  }

  @Test
  void metadataDescribesTheStream() {
    Instant created = clock.instant();
    EventStream<Map<String, Object>> s = store.stream("meta");
    StreamMetadata empty = s.metadata();
    assertThat(empty.name()).isEqualTo("meta");
    assertThat(empty.created()).isEqualTo(created);
    assertThat(empty.recordCount()).isZero();
    assertThat(empty.firstOffset()).isZero();
    assertThat(empty.nextOffset()).isZero();
    assertThat(empty.lastOffset()).isEqualTo(-1);
    assertThat(empty.lastAppend()).isNull();
    assertThat(empty.retention()).isEqualTo(Retention.forever());

    clock.advance(Duration.ofMinutes(5));
    s.appendAll(List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 3)));
    s.retention(Retention.time(Duration.ofHours(1)));
    StreamMetadata m = store.metadata("meta").orElseThrow();
    assertThat(m.recordCount()).isEqualTo(3);
    assertThat(m.firstOffset()).isZero();
    assertThat(m.lastOffset()).isEqualTo(2);
    assertThat(m.lastAppend()).isEqualTo(created.plus(Duration.ofMinutes(5)));
    assertThat(m.retention()).isEqualTo(Retention.time(Duration.ofHours(1)));
    assertThat(m.incarnation()).isEqualTo(empty.incarnation());
    assertThat(store.metadata("absent")).isEmpty();
  }

  @Test
  void dropRemovesTheStreamAndARecreatedOneIsANewIncarnation() {
    EventStream<Map<String, Object>> s = store.stream("gone");
    s.appendAll(List.of(Map.of("x", 1), Map.of("x", 2)));
    String incarnation = s.metadata().incarnation();
    store.stream("stays").append(Map.of("y", 1));

    assertThat(store.drop("gone")).isTrue();
    assertThat(store.drop("gone")).isFalse();
    assertThat(store.streams()).containsExactly("stays");
    assertThat(store.metadata("gone")).isEmpty();
    assertThat(s.read(0, 10)).isEmpty();

    assertThat(s.append(Map.of("x", 3))).as("offsets restart").isZero();
    StreamMetadata again = store.metadata("gone").orElseThrow();
    assertThat(again.incarnation()).isNotEqualTo(incarnation);
    assertThat(again.recordCount()).isEqualTo(1);
    assertThat(s.read(0, 10)).extracting(r -> r.value().get("x")).containsExactly(3);
    assertThat(store.stream("stays").read(0, 10)).hasSize(1);
  }

  @Test
  void clearEmptiesTheStreamWithANewIncarnationAndKeepsRetention() {
    assumeCapability(dev.sluice.spi.Capability.CLEAR);
    assumeCapability(dev.sluice.spi.Capability.RETENTION_UNTIL_CONSUMED);
    EventStream<Map<String, Object>> s = store.stream("cleared");
    s.retention(Retention.untilConsumed());
    s.appendAll(List.of(Map.of("x", 1), Map.of("x", 2)));
    String incarnation = s.metadata().incarnation();
    s.clear();
    StreamMetadata m = s.metadata();
    assertThat(m.incarnation()).isNotEqualTo(incarnation);
    assertThat(m.recordCount()).isZero();
    assertThat(m.nextOffset()).isZero();
    assertThat(m.retention()).isEqualTo(Retention.untilConsumed());
    assertThat(s.read(0, 10)).isEmpty();
    assertThat(s.append(Map.of("x", 9))).isZero();
    assertThat(s.read(0, 10)).extracting(r -> r.value().get("x")).containsExactly(9);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "../x",
        "a b",
        "x'; drop table records; --",
        ".hidden",
        "a/b",
        "ünïcode",
        "tab\there"
      })
  void invalidStreamNamesAreRejectedWithTheRuleAndNothingIsCreated(String name) {
    assertThatThrownBy(() -> store.stream(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream name must");
    assertThat(store.streams()).isEmpty();
  }

  @Test
  void streamNamesOfTwoHundredCharactersAreAllowedAndLongerOnesRejected() {
    String max = "a".repeat(200);
    store.stream(max).append(Map.of("ok", true));
    assertThat(store.streams()).containsExactly(max);
    assertThatThrownBy(() -> store.stream("a".repeat(201)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 200 characters")
        .hasMessageContaining("got 201");
    assertThatThrownBy(() -> store.stream(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deadLetterNamesAreReserved() {
    assertThatThrownBy(() -> store.stream("orders.dlq"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved")
        .hasMessageContaining("\"orders.dlq\"");
    assertThat(store.streams()).isEmpty();
  }

  @Test
  void aClosedStoreRefusesEverythingClearly() {
    EventStream<Map<String, Object>> s = store.stream("x");
    s.append(Map.of("a", 1));
    store.close();
    store.close(); // idempotent
    assertThatThrownBy(() -> s.append(Map.of("a", 2)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> s.appendAsync(Map.of("a", 2)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> s.read(0, 1)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> store.stream("y")).isInstanceOf(StoreException.class);
    assertThatThrownBy(store::streams).isInstanceOf(StoreException.class);
    store = open();
    if (persistent()) {
      assertThat(store.stream("x").read(0, 10)).hasSize(1);
    }
  }

  @Test
  void readValidatesItsArguments() {
    EventStream<Map<String, Object>> s = store.stream("r");
    assertThatThrownBy(() -> s.read(-1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> s.read(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max");
  }

  @Test
  void anUndecodableRecordIsReportedWithItsOffset() {
    store.stream("mixed", Codecs.string()).append("not json {");
    assertThatThrownBy(() -> store.stream("mixed", Tick.class).read(0, 10))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("offset 0")
        .hasMessageContaining("\"mixed\"");
  }

  @Test
  void theSameLocationOpenedTwiceSharesOneStore() {
    try (Store second = open()) {
      store.stream("shared").append(Map.of("v", 1));
      assertThat(second.stream("shared").read(0, 10)).hasSize(1);
      second.stream("shared").append(Map.of("v", 2));
    }
    assertThat(store.stream("shared").read(0, 10)).hasSize(2);
  }

  protected static <T> List<Record<T>> readAll(EventStream<T> s) {
    List<Record<T>> all = new ArrayList<>();
    long next = 0;
    while (true) {
      List<Record<T>> page = s.read(next, 5_000);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      next = page.get(page.size() - 1).offset() + 1;
    }
  }

  /** Skips a test of a rule that a backend without this capability is excused from. */
  protected void assumeCapability(dev.sluice.spi.Capability capability) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        store.capabilities().contains(capability),
        () -> store.url() + " lacks " + capability + ", which this rule needs");
  }
}
