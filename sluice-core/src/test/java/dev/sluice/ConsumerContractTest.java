package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.spi.Sink;
import dev.sluice.spi.StoreTransaction;
import dev.sluice.spi.TransactionalSink;
import dev.sluice.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store with consumers promises (DESIGN.md "Consumers" and "Delivery semantics"), on a
 * manual clock. Subclasses say how to reach a fresh store.
 */
public abstract class ConsumerContractTest {
  protected ManualClock clock;
  protected Store store;

  /** A URL naming a fresh, empty store for this test; the same URL each time it is called. */
  protected abstract String url();

  @BeforeEach
  void openStore() {
    clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
    store = Sluice.open(url(), StoreOptions.defaults().clock(clock));
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static Map<String, Object> n(int i) {
    return Map.of("n", i);
  }

  static int nOf(Map<String, Object> v) {
    return ((Number) v.get("n")).intValue();
  }

  /** Handles every ready window with once(); returns how many. */
  static <T> int drain(Streaming<T> s, WindowHandler<? super T> h) {
    int n = 0;
    while (s.once(h)) {
      n++;
    }
    return n;
  }

  static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("condition not met in 30 s");
      }
      Thread.sleep(2);
    }
  }

  @Test
  void countWindowsHoldEveryRecordOnceAndCommit() {
    var s = store.stream("t");
    for (int i = 0; i < 10; i++) {
      s.append(n(i));
    }
    List<List<Integer>> windows = new ArrayList<>();
    int handled =
        drain(
            store.streaming("t").size(3),
            w -> windows.add(w.data().stream().map(ConsumerContractTest::nOf).toList()));
    assertThat(handled).isEqualTo(3);
    assertThat(windows).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8));
    GroupMetadata g = s.groups().get(0);
    assertThat(g.name()).isEqualTo("default");
    assertThat(g.committed()).isEqualTo(9);
    assertThat(g.lag()).isEqualTo(1);
    assertThat(g.windowsDone()).isEqualTo(3);
    assertThat(s.buffer()).extracting(Record::offset).containsExactly(9L);
  }

  @Test
  void bufferOfAGroupHoldsWhatThatGroupHasNotCommitted() {
    var s = store.stream("t");
    for (int i = 0; i < 6; i++) {
      s.append(n(i));
    }
    drain(store.streaming("t").group("billing").size(4), w -> {});
    drain(store.streaming("t").size(2), w -> {});
    assertThat(s.buffer("billing")).extracting(Record::offset).containsExactly(4L, 5L);
    assertThat(s.buffer("default")).extracting(Record::offset).containsExactly();
    assertThat(s.buffer()).isEqualTo(s.buffer("default"));
    assertThat(s.buffer("nobody")).as("a group that does not exist holds everything").hasSize(6);
  }

  @Test
  void windowsCarryIdsOffsetsTimesAndAttempts() {
    var s = store.stream("t");
    s.append(n(0));
    clock.advance(Duration.ofMillis(5));
    s.append(n(1));
    List<Window<Map<String, Object>>> seen = new ArrayList<>();
    drain(store.streaming("t").group("g").size(2), seen::add);
    Window<Map<String, Object>> w = seen.get(0);
    assertThat(w.id()).isEqualTo("g/0/1");
    assertThat(w.stream()).isEqualTo("t");
    assertThat(w.group()).isEqualTo("g");
    assertThat(w.firstOffset()).isZero();
    assertThat(w.lastOffset()).isEqualTo(1);
    assertThat(w.size()).isEqualTo(2);
    assertThat(w.attempt()).isEqualTo(1);
    assertThat(Duration.between(w.start(), w.end())).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void fixedWindowsAreHalfOpenAndCloseTheFloor() {
    clock.set(Instant.parse("2026-03-01T12:00:00.000Z"));
    var s = store.stream("t");
    s.append(n(0)); // 12:00:00.000, window [0, 1 s)
    clock.set(Instant.parse("2026-03-01T12:00:00.999Z"));
    s.append(n(1));
    clock.set(Instant.parse("2026-03-01T12:00:01.000Z"));
    s.append(n(2)); // exactly at the end: next window
    List<Window<Map<String, Object>>> seen = new ArrayList<>();
    Streaming<Map<String, Object>> c =
        store.streaming("t").window(Windows.fixed(Duration.ofSeconds(1)));
    assertThat(drain(c, seen::add)).isEqualTo(1);
    assertThat(seen.get(0).data()).extracting(ConsumerContractTest::nOf).containsExactly(0, 1);
    assertThat(seen.get(0).start()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(seen.get(0).end()).isEqualTo(Instant.parse("2026-03-01T12:00:01Z"));
    clock.set(Instant.parse("2026-03-01T12:00:02.500Z"));
    assertThat(drain(c, seen::add)).isEqualTo(1); // [1 s, 2 s) closed and claimed
    // A producer whose clock lags behind cannot stamp a record into the closed window.
    clock.set(Instant.parse("2026-03-01T12:00:01.500Z"));
    long offset = s.append(n(3));
    assertThat(s.read(offset, 1).get(0).timestamp())
        .isAfterOrEqualTo(Instant.parse("2026-03-01T12:00:02Z"));
    clock.set(Instant.parse("2026-03-01T12:00:04Z"));
    drain(c, seen::add);
    assertThat(seen).hasSize(3);
    assertThat(seen.get(2).data()).extracting(ConsumerContractTest::nOf).containsExactly(3);
    assertThat(seen.get(2).start()).isEqualTo(Instant.parse("2026-03-01T12:00:02Z"));
  }

  @Test
  void emptyWindowsOnlyWhenAsked() {
    var s = store.stream("t");
    s.append(n(0));
    clock.advance(Duration.ofSeconds(1));
    List<Window<Map<String, Object>>> quiet = new ArrayList<>();
    Streaming<Map<String, Object>> q =
        store.streaming("t").group("quiet").every(Duration.ofMillis(100));
    Streaming<Map<String, Object>> e =
        store.streaming("t").group("empty").every(Duration.ofMillis(100)).emitEmpty(true);
    List<Window<Map<String, Object>>> empty = new ArrayList<>();
    drain(q, quiet::add);
    drain(e, empty::add);
    clock.advance(Duration.ofMillis(150));
    drain(q, quiet::add);
    drain(e, empty::add);
    assertThat(quiet).hasSize(1);
    assertThat(empty).hasSize(2);
    assertThat(empty.get(1).size()).isZero();
    assertThat(empty.get(1).firstOffset()).isEqualTo(-1);
  }

  @Test
  void groupsAreIndependent() {
    var s = store.stream("t");
    for (int i = 0; i < 6; i++) {
      s.append(n(i));
    }
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    drain(store.streaming("t").group("a").size(2), w -> w.data().forEach(v -> a.add(nOf(v))));
    drain(store.streaming("t").group("b").size(3), w -> w.data().forEach(v -> b.add(nOf(v))));
    assertThat(a).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(b).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(s.groups()).extracting(GroupMetadata::name).containsExactly("a", "b");
  }

  @Test
  void startFromLatestOffsetAndTime() {
    var s = store.stream("t");
    s.append(n(0));
    clock.advance(Duration.ofSeconds(10));
    Instant t1 = clock.instant();
    s.append(n(1));
    s.append(n(2));
    List<Integer> latest = new ArrayList<>();
    List<Integer> offset = new ArrayList<>();
    List<Integer> time = new ArrayList<>();
    drain(
        store.streaming("t").group("l").startFrom(StartFrom.LATEST),
        w -> latest.add(nOf(w.data().get(0))));
    drain(store.streaming("t").group("o").startFrom(2), w -> offset.add(nOf(w.data().get(0))));
    drain(store.streaming("t").group("i").startFrom(t1), w -> time.add(nOf(w.data().get(0))));
    s.append(n(3));
    drain(store.streaming("t").group("l"), w -> latest.add(nOf(w.data().get(0))));
    assertThat(latest).containsExactly(3);
    assertThat(offset).containsExactly(2);
    assertThat(time).containsExactly(1, 2);
  }

  @Test
  void retriesThenRecordByRecordThenDeadLetters() {
    var s = store.stream("t");
    for (int i = 0; i < 5; i++) {
      s.append(n(i));
    }
    AtomicInteger calls = new AtomicInteger();
    List<Integer> good = new ArrayList<>();
    Streaming<Map<String, Object>> c =
        store.streaming("t").size(5).retry(Retry.times(3).backoff(Duration.ofSeconds(1)));
    WindowHandler<Map<String, Object>> h =
        w -> {
          calls.incrementAndGet();
          for (Map<String, Object> v : w.data()) {
            if (nOf(v) == 3) {
              throw new IllegalStateException("poison " + w.id());
            }
          }
          w.data().forEach(v -> good.add(nOf(v)));
        };
    assertThat(c.once(h)).isTrue(); // attempt 1 fails
    assertThat(c.once(h)).as("backoff not over on the store clock").isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(c.once(h)).isTrue(); // attempt 2 fails
    clock.advance(Duration.ofSeconds(2));
    assertThat(c.once(h)).isTrue(); // attempt 3 fails, then record by record
    assertThat(calls.get()).isEqualTo(3 + 5);
    assertThat(good).containsExactly(0, 1, 2, 4);
    List<Record<Map<String, Object>>> dead = store.deadLetters("t").read(0, 10);
    assertThat(dead).hasSize(1);
    Map<String, Object> letter = dead.get(0).value();
    assertThat(letter)
        .containsEntry("stream", "t")
        .containsEntry("group", "default")
        .containsEntry("window", "default/0/1")
        .containsEntry("offset", 3)
        .containsEntry("firstOffset", 0)
        .containsEntry("lastOffset", 4)
        .containsEntry("attempts", 3)
        .containsEntry("error", "java.lang.IllegalStateException")
        .containsEntry("message", "poison default/0/1")
        .containsEntry("value", Map.of("n", 3));
    assertThat((String) letter.get("stackTrace")).contains("IllegalStateException");
    GroupMetadata g = s.groups().get(0);
    assertThat(g.committed()).isEqualTo(5);
    assertThat(g.windowsFailed()).isEqualTo(3);
    assertThat(g.windowsDeadLettered()).isEqualTo(1);
    assertThat(c.once(h)).isFalse();
  }

  @Test
  void deadLetterWindowAndStopPolicies() {
    var s = store.stream("t");
    s.append(n(0));
    s.append(n(1));
    WindowHandler<Map<String, Object>> fail =
        w -> {
          throw new IllegalArgumentException("no");
        };
    drain(
        store.streaming("t").group("w").size(2).retry(Retry.none()).deadLetter(DeadLetter.WINDOW),
        fail);
    assertThat(store.deadLetters("t").read(0, 10)).hasSize(2);
    assertThatThrownBy(
            () ->
                store
                    .streaming("t")
                    .group("s")
                    .size(2)
                    .retry(Retry.none())
                    .deadLetter(DeadLetter.STOP)
                    .once(fail))
        .hasMessageContaining("failed 1 times")
        .hasRootCauseMessage("no");
    GroupMetadata stopped =
        s.groups().stream().filter(g -> g.name().equals("s")).findFirst().orElseThrow();
    assertThat(stopped.committed()).as("the window stays for the next run").isZero();
    List<Integer> later = new ArrayList<>();
    drain(store.streaming("t").group("s").size(2), w -> w.data().forEach(v -> later.add(nOf(v))));
    assertThat(later).containsExactly(0, 1);
  }

  @Test
  void undecodableRecordsAreDeadLetteredOneByOne() {
    var raw = store.stream("t", Codecs.string());
    raw.append("{\"n\":0}");
    raw.append("not json");
    raw.append("{\"n\":2}");
    List<Integer> seen = new ArrayList<>();
    drain(store.streaming("t").size(3), w -> w.data().forEach(v -> seen.add(nOf(v))));
    assertThat(seen).containsExactly(0, 2);
    List<Record<Map<String, Object>>> dead = store.deadLetters("t").read(0, 10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).value()).containsEntry("offset", 1).containsKey("valueBase64");
    assertThat((String) dead.get(0).value().get("error")).contains("Codec");
  }

  @Test
  void aFailingSinkLosesNothing() {
    var s = store.stream("t");
    for (int i = 0; i < 4; i++) {
      s.append(n(i));
    }
    List<Integer> written = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger(2);
    Sink<Integer> flaky =
        v -> {
          if (failures.getAndDecrement() > 0) {
            throw new java.io.IOException("sink down");
          }
          written.add(v);
        };
    var c =
        store
            .streaming("t")
            .size(2)
            .retry(Retry.times(5).backoff(Duration.ZERO))
            .process(w -> w.data().stream().mapToInt(ConsumerContractTest::nOf).sum())
            .sink(flaky);
    while (c.once()) {}
    assertThat(written).containsExactly(1, 5);
    assertThat(s.groups().get(0).committed()).isEqualTo(4);

    // A sink that never recovers: every record ends in the dead-letter stream, none is lost.
    Sink<Integer> down =
        v -> {
          throw new java.io.IOException("sink down for good");
        };
    var d =
        store
            .streaming("t")
            .group("down")
            .size(2)
            .retry(Retry.times(2).backoff(Duration.ZERO))
            .process(w -> w.size())
            .sink(down);
    while (d.once()) {}
    assertThat(store.deadLetters("t").read(0, 100))
        .extracting(r -> r.value().get("offset"))
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void exactlyOnceSinkHasNoDuplicatesAfterAFailureBetweenHandlerAndCommit() {
    var s = store.stream("t");
    for (int i = 0; i < 6; i++) {
      s.append(n(i));
    }
    EventStream<Integer> out = store.stream("sums", Integer.class);
    TransactionalSink<Integer> real = Sinks.stream(out);
    AtomicInteger commits = new AtomicInteger();
    TransactionalSink<Integer> failsOnce =
        new TransactionalSink<>() {
          @Override
          public String storeUrl() {
            return real.storeUrl();
          }

          @Override
          public void write(Integer value) throws Exception {
            real.write(value);
          }

          @Override
          public void write(StoreTransaction tx, List<? extends Integer> values) throws Exception {
            real.write(tx, values); // written in the commit's transaction...
            if (commits.incrementAndGet() == 2) {
              throw new IllegalStateException("crash between output and commit"); // ...rolled back
            }
          }
        };
    AtomicInteger runs = new AtomicInteger();
    var c =
        store
            .streaming("t")
            .size(2)
            .delivery(Delivery.EXACTLY_ONCE)
            .retry(Retry.times(3).backoff(Duration.ZERO))
            .process(
                w -> {
                  runs.incrementAndGet();
                  return w.data().stream().mapToInt(ConsumerContractTest::nOf).sum();
                })
            .sink(failsOnce);
    while (c.once()) {}
    assertThat(runs.get()).as("the function ran again for the failed window").isEqualTo(4);
    assertThat(out.read(0, 100)).extracting(Record::value).containsExactly(1, 5, 9);
  }

  @Test
  void exactlyOnceIsRefusedForOtherSinks() {
    Sink<Object> plain = v -> {};
    assertThatThrownBy(
            () -> store.streaming("t").delivery(Delivery.EXACTLY_ONCE).process(w -> 1).sink(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TransactionalSink");
    assertThatThrownBy(() -> store.streaming("t").delivery(Delivery.EXACTLY_ONCE).once(w -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    try (Store other = Sluice.open("mem:")) {
      TransactionalSink<Integer> elsewhere = Sinks.stream(other.stream("x", Integer.class));
      assertThatThrownBy(
              () ->
                  store
                      .streaming("t")
                      .delivery(Delivery.EXACTLY_ONCE)
                      .process(w -> 1)
                      .sink(elsewhere))
          .hasMessageContaining("own store");
    }
  }

  @Test
  void aSlowWorkerPastItsLeaseCannotCommit() throws Exception {
    var s = store.stream("t");
    s.append(n(0));
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> committedBy = new CopyOnWriteArrayList<>();
    StreamingJob slow =
        store
            .streaming("t")
            .lease(Duration.ofSeconds(30))
            .start(
                w -> {
                  inHandler.countDown();
                  release.await();
                  committedBy.add("slow");
                });
    try {
      assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
      Streaming<Map<String, Object>> other = store.streaming("t").lease(Duration.ofSeconds(30));
      List<Integer> attempts = new ArrayList<>();
      assertThat(other.once(w -> attempts.add(w.attempt()))).as("the lease holds").isFalse();
      clock.advance(Duration.ofSeconds(31)); // no sign of life from the slow worker for 31 s
      assertThat(
              other.once(
                  w -> {
                    attempts.add(w.attempt());
                    committedBy.add("other");
                  }))
          .isTrue();
      assertThat(attempts).containsExactly(2);
      release.countDown();
      await(() -> slow.metrics().leasesLost() == 1);
      assertThat(slow.metrics().windowsDone()).isZero();
      assertThat(s.groups().get(0).windowsDone()).as("committed once, by the taker").isEqualTo(1);
    } finally {
      release.countDown();
      slow.close();
    }
  }

  @Test
  void stopReleasesClaimsForOthersAtOnce() throws Exception {
    var s = store.stream("t");
    s.append(n(0));
    CountDownLatch failed = new CountDownLatch(1);
    StreamingJob job =
        store
            .streaming("t")
            .retry(Retry.times(3).backoff(Duration.ofHours(1)))
            .start(
                w -> {
                  failed.countDown();
                  throw new IllegalStateException("down");
                });
    assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
    job.close(); // waiting out an hour's backoff: released, retried by the next worker
    List<Integer> attempts = new ArrayList<>();
    clock.advance(Duration.ofHours(1));
    assertThat(store.streaming("t").once(w -> attempts.add(w.attempt()))).isTrue();
    assertThat(attempts).containsExactly(2);
  }

  @Test
  void fiveWorkersHandleWindowsAtOnceEachOnce() throws Exception {
    var s = store.stream("t");
    for (int i = 0; i < 200; i++) {
      s.append(n(i));
    }
    Map<Integer, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    StreamingJob job =
        store
            .streaming("t")
            .size(4)
            .workers(5)
            .start(
                w -> {
                  int now = concurrent.incrementAndGet();
                  maxConcurrent.accumulateAndGet(now, Math::max);
                  Thread.sleep(5);
                  w.data().forEach(v -> seen.merge(nOf(v), 1, Integer::sum));
                  concurrent.decrementAndGet();
                });
    try {
      await(() -> seen.size() == 200 && s.groups().get(0).committed() == 200);
    } finally {
      job.close();
    }
    // A worker counts a window just after its commit is visible: read the metrics once it ended.
    assertThat(job.metrics().windowsDone()).isEqualTo(50);
    assertThat(seen.values()).containsOnly(1);
    assertThat(maxConcurrent.get()).as("windows handled in parallel").isGreaterThan(1);
  }

  @Test
  void oneWorkerHandlesOneWindowAtATimeInOrder() throws Exception {
    var s = store.stream("t");
    for (int i = 0; i < 40; i++) {
      s.append(n(i));
    }
    List<Integer> order = new CopyOnWriteArrayList<>();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    try (StreamingJob job =
        store
            .streaming("t")
            .size(4)
            .start(
                w -> {
                  maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                  Thread.sleep(2);
                  w.data().forEach(v -> order.add(nOf(v)));
                  concurrent.decrementAndGet();
                })) {
      await(() -> order.size() == 40);
    }
    assertThat(maxConcurrent.get()).isEqualTo(1);
    assertThat(order).isSorted().hasSize(40);
  }

  @Test
  void closingTheStoreStopsItsConsumersAfterTheirWindow() throws Exception {
    Store second = Sluice.open(url(), StoreOptions.defaults().clock(clock));
    second.stream("t").append(n(0));
    CountDownLatch inHandler = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    StreamingJob job =
        second
            .streaming("t")
            .start(
                w -> {
                  inHandler.countDown();
                  Thread.sleep(50);
                  finished.incrementAndGet();
                });
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    store.close();
    second.close(); // the last handle: stops the job, which finishes its window first
    assertThat(job.isRunning()).isFalse();
    assertThat(finished.get()).isEqualTo(1);
    assertThat(job.metrics().windowsDone()).isEqualTo(1);
    assertThat(job.failure()).isEmpty();
    store = Sluice.open(url(), StoreOptions.defaults().clock(clock));
  }

  @Test
  void aJobFeedsItsStreamFromASourceWhileItRuns() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    dev.sluice.spi.Source<Map<String, Object>> numbers =
        emitter -> {
          for (int i = 0; i < 5; i++) {
            emitter.emit(n(i));
          }
        };
    try (StreamingJob job =
        store
            .streaming("fed")
            .size(5)
            .source(numbers)
            .start(w -> w.data().forEach(v -> seen.add(nOf(v))))) {
      await(() -> seen.size() == 5);
    }
    assertThat(seen).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void aHandlerMayCloseItsOwnJob() throws Exception {
    var s = store.stream("t");
    s.append(n(0));
    s.append(n(1));
    java.util.concurrent.atomic.AtomicReference<StreamingJob> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    StreamingJob job =
        store
            .streaming("t")
            .start(
                w -> {
                  started.await();
                  seen.add(nOf(w.data().get(0)));
                  self.get().close(); // stops after this window, without waiting for itself
                });
    self.set(job);
    started.countDown();
    assertThat(job.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(seen).containsExactly(0);
    assertThat(s.groups().get(0).committed()).isEqualTo(1);
  }

  @Test
  void aBrokenEmitterStopsTheJobAfterCommittingWhatWasDone() throws Exception {
    var s = store.stream("t");
    s.append(n(0));
    s.append(n(1));
    WindowEmitter<Object> broken =
        ctx ->
            ctx.cursor() == 0
                ? Windows.count(1).next(ctx)
                : Optional.of(WindowBounds.ofOffsets(0, 0, ctx.now(), ctx.now())); // not at cursor
    List<Integer> seen = new CopyOnWriteArrayList<>();
    StreamingJob job =
        store.streaming("t").window(broken).start(w -> seen.add(nOf(w.data().get(0))));
    assertThat(job.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(job.failure()).get().isInstanceOf(IllegalStateException.class);
    assertThat(job.failure().get().getMessage()).contains("must start at the group's cursor 1");
    assertThat(seen).containsExactly(0);
    assertThat(s.groups().get(0).committed()).as("the handled window is committed").isEqualTo(1);
    assertThat(job.metrics().windowsDone()).isEqualTo(1);
  }

  @Test
  void anEmitterThatThrowsFailsTheJobAndEveryTerminalReportsIt() throws Exception {
    var s = store.stream("t");
    s.append(n(0));
    WindowEmitter<Object> broken =
        ctx -> {
          throw new IllegalStateException("emitter bug");
        };
    StreamingJob job = store.streaming("t").window(broken).start(w -> {});
    assertThat(job.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(job.state()).isEqualTo(StreamingJob.State.FAILED);
    assertThat(job.isRunning()).isFalse();
    assertThat(job.failure()).get().isInstanceOf(IllegalStateException.class);
    assertThat(job.failure().get()).hasMessage("emitter bug");
    assertThatThrownBy(() -> store.streaming("t").window(broken).run(w -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("emitter bug");
    assertThatThrownBy(() -> store.streaming("t").window(broken).once(w -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("emitter bug");
    assertThat(s.groups().get(0).lag()).isEqualTo(1);
  }

  @Test
  void peekZeroIsEmptyEvenBeforeTheFirstAppend() throws Exception {
    var s = store.stream("t");
    List<Integer> peeked = new CopyOnWriteArrayList<>();
    WindowEmitter<Object> peeking =
        ctx -> {
          peeked.add(ctx.peek(0).size());
          return Windows.count(1).next(ctx);
        };
    List<Integer> seen = new CopyOnWriteArrayList<>();
    try (StreamingJob job =
        store.streaming("t").window(peeking).start(w -> seen.add(nOf(w.data().get(0))))) {
      await(() -> !peeked.isEmpty());
      s.append(n(7));
      await(() -> seen.size() == 1);
      assertThat(job.state()).isEqualTo(StreamingJob.State.RUNNING);
    }
    assertThat(peeked).containsOnly(0);
    assertThat(seen).containsExactly(7);
  }

  @Test
  void aJobMovesFromRunningThroughStoppingToStopped() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.stream("t").append(n(0));
    StreamingJob job =
        store
            .streaming("t")
            .start(
                w -> {
                  inHandler.countDown();
                  release.await();
                });
    assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(job.state()).isEqualTo(StreamingJob.State.RUNNING);
    job.stop();
    assertThat(job.state()).isEqualTo(StreamingJob.State.STOPPING);
    release.countDown();
    assertThat(job.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(job.state()).isEqualTo(StreamingJob.State.STOPPED);
  }

  @Test
  void clearingTheStreamStopsItsConsumersLoudly() throws Exception {
    assumeCapability(dev.sluice.spi.Capability.CLEAR);
    var s = store.stream("t");
    try (StreamingJob job = store.streaming("t").start(w -> {})) {
      s.append(n(0));
      await(() -> job.metrics().windowsDone() == 1);
      s.clear();
      s.append(n(1));
      job.awaitTermination(Duration.ofSeconds(30));
      assertThat(job.failure()).get().isInstanceOf(StreamChangedException.class);
      assertThat(job.failure().get().getMessage()).contains("cleared");
    }
  }

  @Test
  void untilConsumedDeletesOnlyWhatEveryGroupCommitted() {
    assumeCapability(dev.sluice.spi.Capability.RETENTION_UNTIL_CONSUMED);
    var s = store.stream("t");
    for (int i = 0; i < 10; i++) {
      s.append(n(i));
    }
    store.streaming("t").group("slow").size(100).once(w -> {}); // registers, handles nothing
    drain(store.streaming("t").group("fast").size(2).keep(false), w -> {});
    assertThat(s.metadata().retention()).isEqualTo(Retention.untilConsumed());
    runMaintenance();
    assertThat(s.metadata().firstOffset()).as("the slow group read nothing yet").isZero();
    drain(store.streaming("t").group("slow").size(4), w -> {});
    runMaintenance();
    assertThat(s.metadata().firstOffset()).isEqualTo(8);
    assertThat(s.read(0, 100)).extracting(r -> nOf(r.value())).containsExactly(8, 9);
  }

  @Test
  void keepTrueAfterKeepFalseSetsTheStreamBackToForever() {
    assumeCapability(dev.sluice.spi.Capability.RETENTION_UNTIL_CONSUMED);
    var s = store.stream("t");
    s.append(n(0));
    store.streaming("t").size(100).keep(false).once(w -> {});
    assertThat(s.metadata().retention()).isEqualTo(Retention.untilConsumed());
    store.streaming("t").size(100).keep(true).once(w -> {});
    assertThat(s.metadata().retention()).isEqualTo(Retention.forever());
    s.retention(Retention.count(5));
    store.streaming("t").size(100).once(w -> {});
    assertThat(s.metadata().retention())
        .as("no keep(...): left as is")
        .isEqualTo(Retention.count(5));
  }

  @Test
  void countAndTimeRetentionMoveLaggingGroupsOnAndCountTheLoss() {
    var s = store.stream("t");
    for (int i = 0; i < 10; i++) {
      s.append(n(i));
    }
    store.streaming("t").group("g").size(100).once(w -> {});
    s.retention(Retention.count(4));
    runMaintenance();
    assertThat(s.metadata().firstOffset()).isEqualTo(6);
    GroupMetadata g = s.groups().get(0);
    assertThat(g.recordsLostToRetention()).isEqualTo(6);
    assertThat(g.cursor()).isEqualTo(6);
    clock.advance(Duration.ofMinutes(2));
    s.append(n(10));
    s.retention(Retention.time(Duration.ofMinutes(1)));
    runMaintenance();
    assertThat(s.read(0, 100)).extracting(r -> nOf(r.value())).containsExactly(10);
  }

  @Test
  void retentionIsEnforcedInTheBackgroundWithoutAnyConsumerOnTheManualClock() {
    var s = store.stream("t");
    for (int i = 0; i < 10; i++) {
      s.append(n(i));
    }
    s.retention(Retention.count(3));
    clock.advance(Duration.ofMillis(999));
    assertThat(s.metadata().firstOffset()).as("not yet: maintenance runs every second").isZero();
    clock.advance(Duration.ofMillis(1)); // the store's maintenance runs on the manual clock
    assertThat(s.read(0, 100)).extracting(r -> nOf(r.value())).containsExactly(7, 8, 9);
  }

  @Test
  void idleGroupsExpire() {
    var s = store.stream("t");
    s.append(n(0));
    store.streaming("t").group("old").groupExpiry(Duration.ofHours(1)).once(w -> {});
    store.streaming("t").group("young").groupExpiry(Duration.ofDays(1)).once(w -> {});
    clock.advance(Duration.ofMinutes(59));
    assertThat(s.groups()).extracting(GroupMetadata::name).containsExactly("old", "young");
    clock.advance(Duration.ofMinutes(2)); // maintenance runs on the manual clock: no sleeping
    assertThat(s.groups()).extracting(GroupMetadata::name).containsExactly("young");
  }

  @Test
  void aCustomEmitterSortsAndFilters() {
    var s = store.stream("t");
    for (int i : new int[] {5, 2, 8, 3, 6, 4}) {
      s.append(n(i));
    }
    // minibatch's SortedWindow: sort pending records by a field, keep the even ones, 3 at a time
    WindowEmitter<Map<String, Object>> sorted =
        new WindowEmitter<>() {
          @Override
          public Optional<WindowBounds> next(EmitterContext<? extends Map<String, Object>> ctx) {
            return Windows.count(3).next(ctx); // built-in emitters compose with typed ones
          }

          @Override
          public List<Record<Map<String, Object>>> arrange(
              List<Record<Map<String, Object>>> records) {
            return records.stream()
                .filter(r -> nOf(r.value()) % 2 == 0)
                .sorted(Comparator.comparing(r -> nOf(r.value())))
                .toList();
          }
        };
    List<List<Integer>> windows = new ArrayList<>();
    drain(
        store.streaming("t").window(sorted),
        w -> windows.add(w.data().stream().map(ConsumerContractTest::nOf).toList()));
    assertThat(windows).containsExactly(List.of(2, 8), List.of(4, 6));
    assertThat(s.groups().get(0).committed()).isEqualTo(6);
  }

  @Test
  void badConfigurationIsRefusedWithTheValue() {
    assertThatThrownBy(() -> store.streaming("t").workers(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> store.streaming("t").group("bad name"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.streaming("t").size(0)).hasMessageContaining("0");
    assertThatThrownBy(() -> store.streaming("t.dlq")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.streaming("t").process(w -> 1).once())
        .hasMessageContaining("sink");
  }

  /**
   * Moves the manual clock one maintenance period on: the store's retention and group expiry run on
   * its scheduler, which the manual clock is, before {@code advance} returns. No sleeping.
   */
  void runMaintenance() {
    clock.advance(Duration.ofSeconds(1));
  }

  /** Skips a test of a rule that a backend without this capability is excused from. */
  protected void assumeCapability(dev.sluice.spi.Capability capability) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        store.capabilities().contains(capability),
        () -> store.url() + " lacks " + capability + ", which this rule needs");
  }
}
