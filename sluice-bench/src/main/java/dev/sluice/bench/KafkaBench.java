package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The Kafka store against the raw Kafka client on the same broker, side by side in one run: {@code
 * kafka BOOTSTRAP [rounds=5] [records=100000]}. The broker runs in a JVM of its own
 * (sluice-bench/kafka-broker.sh).
 *
 * <p>Producer scenarios send the same ~100-byte JSON objects with the same producer settings
 * (idempotent, {@code acks=all}, {@code linger.ms=1}, {@code batch.size=262144}): {@code appendAll}
 * of 1,000 (one Kafka transaction each) against raw {@code send} of 1,000 then {@code flush};
 * {@code appendAsync} against raw {@code send} of everything then {@code flush}. The consumer
 * scenario reads the same topic end to end: a Sluice group with windows of 1,000 and a no-op
 * handler against a raw {@code KafkaConsumer} poll loop committing every 1,000 records.
 */
public final class KafkaBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 1_000;
  private final String bootstrap;
  private final Admin admin;
  private final List<Map<String, Object>> payloads = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private int topics;

  private KafkaBench(String bootstrap) throws Exception {
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    for (int i = 0; i < BATCH; i++) {
      Map<String, Object> m = ConsumerBench.payload(i);
      payloads.add(m);
      encoded.add(JSON.writeValueAsBytes(m));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: kafka BOOTSTRAP [rounds=5] [records=100000]");
      System.exit(2);
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int records = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    KafkaBench b = new KafkaBench(args[0]);
    double avg = b.encoded.stream().mapToInt(e -> e.length).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "kafka benchmark: broker %s, payload %.0f-byte JSON, %d records per scenario, 1 thread,"
            + " round 0 warm-up, median of %d rounds%n  cpu: %s%n  load before: %s%n",
        args[0],
        avg,
        records,
        rounds,
        Measure.cpu(),
        Measure.load());
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    String url = "kafka://" + args[0] + "?prefix=bench" + System.nanoTime() + ".";
    try (Store store = Sluice.open(url)) {
      for (int round = 0; round <= rounds; round++) {
        String consumed = "consume" + round;
        record("raw send 1,000 + flush", rates, round, b.rawBatches(records));
        record("appendAll of 1,000", rates, round, b.appendAll(store, records));
        record("raw send all + flush", rates, round, b.rawAsync(records));
        record("appendAsync", rates, round, b.appendAsync(store, consumed, records));
        String topic = url.substring(url.indexOf("prefix=") + 7) + consumed;
        record("raw poll loop, commit per 1,000", rates, round, b.rawConsume(topic, records));
        record(
            "Sluice consumer, windows of 1,000",
            rates,
            round,
            b.sluiceConsume(store, consumed, records));
        System.out.printf(Locale.ROOT, "  round %d done%n", round);
      }
    }
    System.out.printf(Locale.ROOT, "  load after: %s%n", Measure.load());
    report(rates, "raw send 1,000 + flush", "appendAll of 1,000", "0.8");
    report(rates, "raw send all + flush", "appendAsync", "0.8");
    report(rates, "raw poll loop, commit per 1,000", "Sluice consumer, windows of 1,000", "0.7");
    Charts.bars(
        "kafka",
        "Kafka store vs the raw Kafka client (ratio of medians of " + rounds + " rounds)",
        "ratio to the raw client",
        Charts.values(
            "appendAll of 1,000 / raw send + flush",
            ratio(rates, "appendAll of 1,000", "raw send 1,000 + flush"),
            "appendAsync / raw send all",
            ratio(rates, "appendAsync", "raw send all + flush"),
            "consumer / raw poll loop",
            ratio(rates, "Sluice consumer, windows of 1,000", "raw poll loop, commit per 1,000")));
    b.admin.close();
  }

  private static double ratio(Map<String, List<Double>> rates, String scenario, String baseline) {
    return Math.round(
            100 * Measure.median(rates.get(scenario)) / Measure.median(rates.get(baseline)))
        / 100.0;
  }

  private static void record(String name, Map<String, List<Double>> rates, int round, double r) {
    if (round > 0) {
      rates.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
    }
  }

  private static void report(
      Map<String, List<Double>> rates, String baseline, String scenario, String target) {
    double base = Measure.median(rates.get(baseline));
    double mine = Measure.median(rates.get(scenario));
    System.out.printf(
        Locale.ROOT,
        "| %s | %,.0f | 1.00 | |%n| %s | %,.0f | **%.2f** | >= %s |%n",
        baseline,
        base,
        scenario,
        mine,
        mine / base,
        target);
  }

  private String freshTopic() throws Exception {
    String t = "raw-bench-" + System.nanoTime() + "-" + topics++;
    admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get();
    return t;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.idempotence", "true");
    c.put("acks", "all");
    c.put("linger.ms", "1");
    c.put("batch.size", "262144"); // the Kafka store's defaults
    c.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    c.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return new KafkaProducer<>(c);
  }

  private double rawBatches(int records) throws Exception {
    String t = freshTopic();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.partitionsFor(t);
      long start = System.nanoTime();
      for (int done = 0; done < records; done += BATCH) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(BATCH);
        for (byte[] e : encoded) {
          sent.add(p.send(new ProducerRecord<>(t, e)));
        }
        p.flush();
        for (Future<RecordMetadata> f : sent) {
          f.get();
        }
      }
      return records / ((System.nanoTime() - start) / 1e9);
    }
  }

  private double rawAsync(int records) throws Exception {
    String t = freshTopic();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      p.partitionsFor(t);
      long start = System.nanoTime();
      Future<RecordMetadata> last = null;
      for (int i = 0; i < records; i++) {
        last = p.send(new ProducerRecord<>(t, encoded.get(i % BATCH)));
      }
      p.flush();
      last.get();
      return records / ((System.nanoTime() - start) / 1e9);
    }
  }

  private double appendAll(Store store, int records) {
    EventStream<Map<String, Object>> s = store.stream("all" + System.nanoTime());
    s.metadata();
    long start = System.nanoTime();
    for (int done = 0; done < records; done += BATCH) {
      s.appendAll(payloads);
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double appendAsync(Store store, String name, int records) {
    EventStream<Map<String, Object>> s = store.stream(name);
    s.metadata();
    long start = System.nanoTime();
    CompletableFuture<Long> last = null;
    for (int i = 0; i < records; i++) {
      last = s.appendAsync(payloads.get(i % BATCH));
    }
    last.join();
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double rawConsume(String topic, int records) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("group.id", "raw-" + System.nanoTime());
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("isolation.level", "read_committed");
    c.put("max.poll.records", "2000");
    c.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    c.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    long start = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long seen = 0;
      long sinceCommit = 0;
      long sink = 0;
      while (seen < records) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        for (var r : batch) {
          try {
            sink += JSON.readTree(r.value()).size(); // decode, as the Sluice consumer does
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          seen++;
          if (++sinceCommit == BATCH) {
            consumer.commitSync();
            sinceCommit = 0;
          }
        }
      }
      consumer.commitSync();
      if (sink < 0) {
        System.out.println(sink);
      }
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private double sluiceConsume(Store store, String name, int records) throws InterruptedException {
    AtomicLong seen = new AtomicLong();
    long start = System.nanoTime();
    try (StreamingJob job =
        store
            .streaming(name)
            .group("g" + System.nanoTime())
            .size(BATCH)
            .start(w -> seen.addAndGet(w.size()))) {
      while (seen.get() < records) {
        Thread.sleep(1);
      }
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }
}
