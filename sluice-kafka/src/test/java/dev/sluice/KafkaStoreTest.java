package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.kafka.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the Kafka store does where it differs from the embedded one, on a real broker. */
class KafkaStoreTest {
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
    prefix = "k" + UUID.randomUUID().toString().substring(0, 8) + ".";
    store = Sluice.open(broker.url() + "?prefix=" + prefix);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Config topicConfig(String stream) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, prefix + stream);
    return admin.describeConfigs(List.of(r)).all().get().get(r);
  }

  @Test
  void aStreamIsATopicCreatedOnFirstUseWithLogAppendTimeAndNoTimeLimit() throws Exception {
    store.stream("orders").append(Map.of("a", 1));
    assertThat(admin.listTopics().names().get()).contains(prefix + "orders");
    Config c = topicConfig("orders");
    assertThat(c.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
    assertThat(c.get("retention.ms").value()).isEqualTo("-1");
    assertThat(store.stream("orders").partitions()).isEqualTo(1);
  }

  @Test
  void appendAllIsAtomicForReadCommittedReadersAndItsMarkerTakesAnOffset() {
    EventStream<Map<String, Object>> s = store.stream("batch");
    assertThat(s.append(Map.of("before", true))).isZero();
    List<Map<String, Object>> values = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      values.add(Map.of("i", i));
    }
    long first = s.appendAll(values);
    assertThat(first).isEqualTo(1);
    List<Record<Map<String, Object>>> read = s.read(first, 2000);
    assertThat(read)
        .extracting(r -> r.value().get("i"))
        .containsExactlyElementsOf(values.stream().map(v -> v.get("i")).toList());
    assertThat(read.get(999).offset()).isEqualTo(1000);
    // offset 1001 is the transaction's commit marker: the next record is at 1002
    assertThat(s.append(Map.of("after", true))).isEqualTo(1002);
    assertThat(s.read(1001, 10)).extracting(Record::offset).containsExactly(1002L);
    assertThat(s.metadata().nextOffset()).isEqualTo(1003);
  }

  @Test
  void timestampsAreTheBrokersAndNeverDecreaseAlongOffsets() {
    Instant before = Instant.now().minusSeconds(1);
    EventStream<Map<String, Object>> s = store.stream("t");
    for (int i = 0; i < 50; i++) {
      s.append(Map.of("n", i));
    }
    s.appendAll(List.of(Map.of("n", 50), Map.of("n", 51)));
    List<Record<Map<String, Object>>> read = s.read(0, 100);
    assertThat(read).hasSize(52);
    for (int i = 1; i < read.size(); i++) {
      assertThat(read.get(i).timestamp()).isAfterOrEqualTo(read.get(i - 1).timestamp());
    }
    assertThat(read.get(0).timestamp()).isAfter(before);
    assertThat(read.get(51).timestamp()).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void metadataComesFromTheCluster() {
    EventStream<Map<String, Object>> s = store.stream("meta");
    StreamMetadata empty = s.metadata();
    assertThat(empty.name()).isEqualTo("meta");
    assertThat(empty.created()).as("Kafka keeps no creation time").isNull();
    assertThat(empty.recordCount()).isZero();
    assertThat(empty.nextOffset()).isZero();
    assertThat(empty.lastAppend()).isNull();
    assertThat(empty.retention()).isEqualTo(Retention.forever());
    s.append(Map.of("x", 1));
    s.append(Map.of("x", 2));
    StreamMetadata m = store.metadata("meta").orElseThrow();
    assertThat(m.recordCount()).isEqualTo(2);
    assertThat(m.firstOffset()).isZero();
    assertThat(m.lastOffset()).isEqualTo(1);
    assertThat(m.lastAppend()).isEqualTo(s.read(1, 1).get(0).timestamp());
    assertThat(m.incarnation()).isEqualTo(empty.incarnation()).isNotBlank();
    assertThat(store.metadata("absent")).isEmpty();
  }

  @Test
  void retentionMapsToTopicConfigsAndWhatKafkaCannotKeepIsRefused() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("kept");
    s.retention(Retention.time(Duration.ofHours(2)));
    assertThat(topicConfig("kept").get("retention.ms").value()).isEqualTo("7200000");
    assertThat(s.metadata().retention()).isEqualTo(Retention.time(Duration.ofHours(2)));
    s.retention(Retention.forever());
    assertThat(topicConfig("kept").get("retention.ms").value()).isEqualTo("-1");

    assertThatThrownBy(() -> s.retention(Retention.untilConsumed()))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("RETENTION_UNTIL_CONSUMED")
        .hasMessageContaining("\"kept\"");
    assertThatThrownBy(() -> s.retention(Retention.count(10)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("by time, not by count")
        .hasMessageContaining("count:10");
    assertThat(s.metadata().retention()).isEqualTo(Retention.forever());
  }

  @Test
  void clearIsRefusedAndDropDeletesTheTopic() throws Exception {
    EventStream<Map<String, Object>> s = store.stream("c");
    s.append(Map.of("x", 1));
    assertThatThrownBy(s::clear)
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("CLEAR")
        .hasMessageContaining("drop the stream instead");
    assertThat(s.read(0, 10)).hasSize(1);
    assertThat(store.drop("c")).isTrue();
    assertThat(admin.listTopics().names().get()).doesNotContain(prefix + "c");
  }

  @Test
  void streamsListsUserTopicsUnderThePrefix() throws Exception {
    admin.createTopics(List.of(new NewTopic(prefix + "made-elsewhere", 2, (short) 1))).all().get();
    store.stream("mine").append(Map.of("x", 1));
    assertThat(store.streams()).containsExactly("made-elsewhere", "mine");
    assertThat(store.stream("made-elsewhere").partitions()).isEqualTo(2);
  }

  @Test
  void reopeningKeepsStreamsRecordsAndRetention() {
    EventStream<Map<String, Object>> s = store.stream("kept");
    s.append(Map.of("a", 1));
    s.retention(Retention.time(Duration.ofDays(3)));
    StreamMetadata before = s.metadata();
    store.close();
    store = Sluice.open(broker.url() + "?prefix=" + prefix);
    assertThat(store.streams()).containsExactly("kept");
    assertThat(store.metadata("kept").orElseThrow()).isEqualTo(before);
    assertThat(store.stream("kept").read(0, 10)).hasSize(1);
  }

  @Test
  void partitionedStreamsSpreadKeysAndAreReadPerPartition() {
    try (Store wide = Sluice.open(broker.url() + "?partitions=3&prefix=" + prefix + "w.")) {
      EventStream<Map<String, Object>> s = wide.stream("wide");
      assertThat(s.partitions()).isEqualTo(3);
      for (int i = 0; i < 60; i++) {
        s.append("key-" + (i % 6), Map.of("i", i));
      }
      List<Record<Map<String, Object>>> all = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        List<Record<Map<String, Object>>> part = s.read(p, 0, 100);
        for (Record<Map<String, Object>> r : part) {
          assertThat(r.partition()).isEqualTo(p);
        }
        all.addAll(part);
      }
      assertThat(all).hasSize(60);
      // one key, one partition
      assertThat(all.stream().collect(java.util.stream.Collectors.groupingBy(Record::key)))
          .allSatisfy(
              (k, rs) ->
                  assertThat(rs).extracting(Record::partition).containsOnly(rs.get(0).partition()));
      assertThatThrownBy(() -> s.read(3, 0, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3 partitions");
      assertThat(wide.metadata("wide").orElseThrow().recordCount()).isEqualTo(60);

      EventStream<Map<String, Object>> batches = wide.stream("batches");
      for (int b = 0; b < 6; b++) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(Map.of("b", b));
        }
        batches.appendAll(batch);
      }
      for (int p = 0; p < 3; p++) {
        Map<Object, Long> perBatch =
            batches.read(p, 0, 100).stream()
                .collect(
                    java.util.stream.Collectors.groupingBy(
                        r -> r.value().get("b"), java.util.stream.Collectors.counting()));
        assertThat(perBatch.values()).as("a batch stays in one partition").allMatch(c -> c == 10L);
      }
    }
  }

  @Test
  void badUrlsAreRefusedNamingTheRule() {
    assertThatThrownBy(() -> Sluice.open("kafka://"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka://host:port");
    assertThatThrownBy(() -> Sluice.open("kafka://nohost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"nohost\" is not host:port");
    assertThatThrownBy(() -> Sluice.open(broker.url() + "?partitions=0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions must be a whole number >= 1");
  }
}
