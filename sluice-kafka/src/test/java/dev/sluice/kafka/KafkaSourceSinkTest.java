package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSourceSinkTest {
  private static KafkaBroker broker;
  private static Admin admin;
  @TempDir Path dir;

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

  private static void topic(String name, int partitions) throws Exception {
    admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers", broker.bootstrap(),
            "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
            "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
  }

  @Test
  void sourceAppendsEveryMessageOfSeveralTopicsWithKeysThenCommits() throws Exception {
    topic("src-a", 2);
    topic("src-b", 1);
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < 50; i++) {
        p.send(new ProducerRecord<>("src-a", i % 2, utf8("k" + i), utf8("{\"i\":" + i + "}")));
        p.send(new ProducerRecord<>("src-b", utf8("b" + i), utf8("{\"i\":" + (100 + i) + "}")));
      }
    }
    try (Store store = Sluice.open("sqlite:" + dir.resolve("s"))) {
      KafkaSource<Map<String, Object>> source =
          KafkaSource.builder(broker.bootstrap(), "src-a", "src-b").group("load-ab").build();
      try (EventStream.Attachment loading = source.attach(store, "loaded")) {
        await(() -> loading.appended() == 100, "100 appended");
        await(
            () -> {
              try {
                return committed("load-ab").values().stream()
                        .mapToLong(OffsetAndMetadata::offset)
                        .sum()
                    == 100;
              } catch (Exception e) {
                return false;
              }
            },
            "offsets committed");
        assertThat(loading.failure()).isEmpty();
      }
      List<Record<Map<String, Object>>> records = store.stream("loaded").read(0, 1_000);
      assertThat(records).hasSize(100);
      Set<Object> values = new java.util.HashSet<>();
      for (Record<Map<String, Object>> r : records) {
        values.add(r.value().get("i"));
        assertThat(r.key()).matches("[kb]\\d+");
        if (r.key().startsWith("k")) {
          assertThat(r.value().get("i")).isEqualTo(Integer.parseInt(r.key().substring(1)));
        }
      }
      assertThat(values).hasSize(100);

      // a restarted source resumes after the committed offsets: nothing appended twice
      try (KafkaProducer<byte[], byte[]> p = producer()) {
        p.send(new ProducerRecord<>("src-b", utf8("late"), utf8("{\"i\":999}")));
      }
      try (EventStream.Attachment again = source.attach(store, "loaded")) {
        await(() -> again.appended() == 1, "the late message appended");
      }
      assertThat(store.stream("loaded").read(0, 1_000)).hasSize(101);
    }
  }

  @Test
  void messagesKeepTopicPartitionOffsetTimestampAndHeaders() throws Exception {
    topic("src-h", 1);
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      ProducerRecord<byte[], byte[]> r =
          new ProducerRecord<>("src-h", 0, 1_700_000_000_000L, utf8("key-1"), utf8("\"hello\""));
      r.headers().add(new RecordHeader("trace", utf8("t-42")));
      p.send(r).get();
    }
    try (Store store = Sluice.open("mem:")) {
      KafkaSource<KafkaMessage<String>> source =
          KafkaSource.builder(broker.bootstrap(), "src-h")
              .codec(Codecs.json(String.class))
              .group("load-h")
              .buildMessages();
      try (EventStream.Attachment loading = source.attach(store, "with-headers")) {
        await(() -> loading.appended() == 1, "one appended");
      }
      Record<KafkaMessage<String>> r =
          store.stream("with-headers", Codecs.json(new TypeReference<KafkaMessage<String>>() {}))
              .read(0, 10)
              .get(0);
      assertThat(r.key()).isEqualTo("key-1");
      KafkaMessage<String> m = r.value();
      assertThat(m.topic()).isEqualTo("src-h");
      assertThat(m.partition()).isZero();
      assertThat(m.offset()).isZero();
      assertThat(m.timestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
      assertThat(m.headers()).containsEntry("trace", "t-42");
      assertThat(m.value()).isEqualTo("hello");
    }
  }

  @Test
  void malformedMessageGoesToTheDeadLetterStreamAndTheSourceGoesOn() throws Exception {
    topic("src-bad", 1);
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.send(new ProducerRecord<>("src-bad", utf8("{\"ok\":1}")));
      p.send(new ProducerRecord<>("src-bad", utf8("k-bad"), utf8("{not json")));
      p.send(new ProducerRecord<>("src-bad", utf8("{\"ok\":2}")));
    }
    try (Store store = Sluice.open("mem:")) {
      KafkaSource<Map<String, Object>> source =
          KafkaSource.builder(broker.bootstrap(), "src-bad").group("load-bad").build();
      try (EventStream.Attachment loading = source.attach(store, "checked")) {
        await(() -> loading.appended() == 2, "two good messages appended");
        try (KafkaProducer<byte[], byte[]> p = producer()) {
          p.send(new ProducerRecord<>("src-bad", utf8("{\"ok\":3}")));
        }
        await(() -> loading.appended() == 3, "a later message appended");
        assertThat(loading.isRunning()).isTrue();
        assertThat(loading.failure()).isEmpty();
      }
      assertThat(store.stream("checked").read(0, 10))
          .extracting(r -> r.value().get("ok"))
          .containsExactly(1, 2, 3);
      List<Record<Map<String, Object>>> dead = store.deadLetters("checked").read(0, 10);
      assertThat(dead).hasSize(1);
      Map<String, Object> letter = dead.get(0).value();
      assertThat(letter)
          .containsEntry("topic", "src-bad")
          .containsEntry("offset", 1)
          .containsEntry("key", "k-bad")
          .containsEntry(
              "valueBase64", java.util.Base64.getEncoder().encodeToString(utf8("{not json")));
      assertThat((String) letter.get("error"))
          .isEqualTo("com.fasterxml.jackson.core.JsonParseException");
    }
  }

  @Test
  void sinkWritesWindowResultsFlushedBeforeTheWindowCommitsAndExpandsLists() throws Exception {
    topic("sink-out", 1);
    try (Store store = Sluice.open("mem:");
        KafkaSink<Object> sink =
            KafkaSink.builder(broker.bootstrap(), "sink-out").expand(true).build()) {
      EventStream<Map<String, Object>> in = store.stream("numbers");
      for (int i = 0; i < 10; i++) {
        in.append(Map.of("n", i));
      }
      try (StreamingJob job =
          store
              .streaming("numbers")
              .size(5)
              .process(
                  w -> w.data().stream().map(m -> Map.of("twice", 2 * (int) m.get("n"))).toList())
              .sink(sink)
              .start()) {
        await(() -> in.groups().get(0).committed() == 10, "both windows committed");
      }
    }
    List<String> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll("sink-out", 10, "read_uncommitted")) {
      values.add(new String(r.value(), StandardCharsets.UTF_8));
    }
    assertThat(values).hasSize(10).contains("{\"twice\":0}", "{\"twice\":18}");
  }

  @Test
  void sinkWithCodecAndKey() throws Exception {
    topic("sink-keyed", 1);
    try (KafkaSink<String> sink =
        KafkaSink.builder(broker.bootstrap(), "sink-keyed")
            .<String>codec(Codecs.string())
            .key(s -> s.substring(0, 1))
            .build()) {
      sink.writeAll(List.of("apple", "banana"));
    }
    List<ConsumerRecord<byte[], byte[]>> got = readAll("sink-keyed", 2, "read_uncommitted");
    assertThat(got)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("a", "b");
    assertThat(got)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("apple", "banana");
  }

  @Test
  void interopWithKafkaConsoleProducerAndConsumer() throws Exception {
    topic("console-in", 1);
    topic("console-out", 1);
    ChildJvm.run(
        "org.apache.kafka.tools.ConsoleProducer",
        "u1:{\"user\":\"ann\"}\nu2:{\"user\":\"bob\"}\nu3:{\"user\":\"cy\"}\n",
        "--bootstrap-server",
        broker.bootstrap(),
        "--topic",
        "console-in",
        "--property",
        "parse.key=true",
        "--property",
        "key.separator=:");
    try (Store store = Sluice.open("sqlite:" + dir.resolve("c"))) {
      KafkaSource<Map<String, Object>> source =
          KafkaSource.builder(broker.bootstrap(), "console-in").group("console-load").build();
      try (EventStream.Attachment loading = source.attach(store, "users")) {
        await(() -> loading.appended() == 3, "three appended");
      }
      assertThat(store.stream("users").read(0, 10))
          .extracting(r -> r.key() + "=" + r.value().get("user"))
          .containsExactly("u1=ann", "u2=bob", "u3=cy");
      try (KafkaSink<Object> sink = KafkaSink.builder(broker.bootstrap(), "console-out").build();
          StreamingJob job =
              store
                  .streaming("users")
                  .size(3)
                  .process(w -> Map.of("users", w.size()))
                  .sink(sink)
                  .start()) {
        await(() -> store.stream("users").groups().get(0).committed() == 3, "the window committed");
      }
    }
    String printed =
        ChildJvm.run(
            "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "",
            "--bootstrap-server",
            broker.bootstrap(),
            "--topic",
            "console-out",
            "--from-beginning",
            "--max-messages",
            "1",
            "--timeout-ms",
            "60000");
    assertThat(printed.trim()).isEqualTo("{\"users\":3}");
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, String isolation)
      throws InterruptedException {
    Map<String, Object> conf = new HashMap<>();
    conf.put("bootstrap.servers", broker.bootstrap());
    conf.put("isolation.level", isolation);
    conf.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    conf.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(conf)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // one more poll: more than expected must show
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }
}
