package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Delivery;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Retry;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Window;
import dev.sluice.Windows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming on a Kafka store: windows per partition on Kafka consumer groups. */
class KafkaConsumerTest {
  private static KafkaBroker broker;
  private static Admin admin;
  private String prefix;
  private Store store;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    admin.close();
    broker.close();
  }

  @BeforeEach
  void open() {
    prefix = "c" + UUID.randomUUID().toString().substring(0, 8) + ".";
    store = Sluice.open(broker.url() + "?partitions=3&prefix=" + prefix);
  }

  @AfterEach
  void close() {
    store.close();
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  static int n(Map<String, Object> v) {
    return ((Number) v.get("n")).intValue();
  }

  @Test
  void countWindowsPerPartitionCommitOffsetsWithWindowBoundsInTheMetadata() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("orders");
    for (int i = 0; i < 90; i++) {
      s.append("k" + (i % 9), Map.of("n", i));
    }
    List<Window<Map<String, Object>>> windows = Collections.synchronizedList(new ArrayList<>());
    try (StreamingJob job =
        store.streaming("orders").group("g").size(5).workers(2).start(windows::add)) {
      await(() -> windows.stream().mapToInt(Window::size).sum() == 90, "90 records in windows");
    }
    Set<Integer> seen = new HashSet<>();
    for (Window<Map<String, Object>> w : windows) {
      assertThat(w.size()).isEqualTo(5);
      assertThat(w.records()).extracting(Record::partition).containsOnly(w.partition());
      assertThat(w.id()).isEqualTo("g/" + w.partition() + "/" + w.id().split("/")[2]);
      w.data().forEach(v -> assertThat(seen.add(n(v))).as("each record once").isTrue());
    }
    assertThat(seen).hasSize(90);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets("sluice." + prefix + "orders.g")
            .partitionsToOffsetAndMetadata()
            .get();
    assertThat(committed).hasSize(3);
    long total = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
      total += e.getValue().offset();
      assertThat(e.getValue().metadata()).startsWith("sluice1;").contains(";OFFSETS;");
    }
    assertThat(total).isEqualTo(90);
    assertThat(s.groups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.name()).isEqualTo("g");
              assertThat(g.committed()).isEqualTo(90);
              assertThat(g.lag()).isZero();
            });
  }

  @Test
  void aNewConsumerOfTheGroupContinuesTheSameWindowSequence() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("seq");
    for (int i = 0; i < 6; i++) {
      s.append("same-key", Map.of("n", i));
    }
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    try (StreamingJob job = store.streaming("seq").group("g").size(3).start(w -> ids.add(w.id()))) {
      await(() -> ids.size() == 2, "two windows");
    }
    for (int i = 6; i < 9; i++) {
      s.append("same-key", Map.of("n", i));
    }
    try (StreamingJob job = store.streaming("seq").group("g").size(3).start(w -> ids.add(w.id()))) {
      await(() -> ids.size() == 3, "the third window");
    }
    String p = ids.get(0).split("/")[1];
    assertThat(ids).containsExactly("g/" + p + "/1", "g/" + p + "/2", "g/" + p + "/3");
  }

  @Test
  void timeWindowsFollowRecordTimestamps() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("timed");
    for (int i = 0; i < 5; i++) {
      s.append("k", Map.of("n", i));
    }
    List<Window<Map<String, Object>>> windows = Collections.synchronizedList(new ArrayList<>());
    try (StreamingJob job =
        store
            .streaming("timed")
            .window(Windows.fixed(Duration.ofMillis(200)))
            .start(windows::add)) {
      await(() -> windows.stream().mapToInt(Window::size).sum() == 5, "all five in time windows");
      for (Window<Map<String, Object>> w : windows) {
        for (Record<Map<String, Object>> r : w.records()) {
          assertThat(r.timestamp()).isAfterOrEqualTo(w.start()).isBefore(w.end());
        }
      }
    }
  }

  @Test
  void failuresAreRetriedThenRecordByRecordThenDeadLettered() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("poison");
    for (int i = 0; i < 5; i++) {
      s.append("k", Map.of("n", i));
    }
    List<Integer> good = Collections.synchronizedList(new ArrayList<>());
    try (StreamingJob job =
        store
            .streaming("poison")
            .size(5)
            .retry(Retry.times(2).backoff(Duration.ofMillis(10)))
            .start(
                w -> {
                  for (Map<String, Object> v : w.data()) {
                    if (n(v) == 3) {
                      throw new IllegalStateException("poison");
                    }
                  }
                  w.data().forEach(v -> good.add(n(v)));
                })) {
      await(() -> store.deadLetters("poison").metadata().recordCount() == 1, "one dead letter");
      await(() -> good.size() == 4, "the good records handled");
    }
    assertThat(good).containsExactly(0, 1, 2, 4);
    Map<String, Object> letter = store.deadLetters("poison").read(0, 10).get(0).value();
    assertThat(letter)
        .containsEntry("stream", "poison")
        .containsEntry("group", "default")
        .containsEntry("offset", 3)
        .containsEntry("attempts", 2)
        .containsEntry("error", "java.lang.IllegalStateException")
        .containsEntry("value", Map.of("n", 3));
  }

  @Test
  void exactlyOnceIntoAStreamOfTheSameClusterThroughKafkaTransactions() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("in");
    for (int i = 0; i < 20; i++) {
      s.append("k", Map.of("n", i));
    }
    EventStream<Integer> sums = store.stream("sums", Integer.class);
    int[] calls = {0};
    try (StreamingJob job =
        store
            .streaming("in")
            .size(4)
            .delivery(Delivery.EXACTLY_ONCE)
            .retry(Retry.times(3).backoff(Duration.ZERO))
            .process(
                w -> {
                  if (++calls[0] == 2) {
                    throw new IllegalStateException("fails once");
                  }
                  return w.data().stream().mapToInt(KafkaConsumerTest::n).sum();
                })
            .sink(Sinks.stream(sums))
            .start()) {
      await(() -> readSums(sums).size() == 5, "five sums");
    }
    assertThat(readSums(sums)).containsExactlyInAnyOrder(6, 22, 38, 54, 70);
  }

  private static List<Integer> readSums(EventStream<Integer> sums) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < sums.partitions(); p++) {
      sums.read(p, 0, 1000).forEach(r -> out.add(r.value()));
    }
    return out;
  }
}
