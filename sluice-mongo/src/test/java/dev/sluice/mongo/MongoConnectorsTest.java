package dev.sluice.mongo;

import static dev.sluice.mongo.TestMongo.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Mongo source and sink against a MongoDB wire-protocol server (see {@link TestMongo}). */
class MongoConnectorsTest {
  private static TestMongo mongo;
  private static MongoClient client;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    mongo = TestMongo.start();
    client = MongoClients.create(mongo.url());
  }

  @AfterAll
  static void stop() {
    client.close();
    mongo.close();
  }

  record Reading(String sensor, double value) {}

  private static MongoSource.Builder source(String db, Store store) {
    return MongoSource.builder(mongo.url(), db, "readings")
        .follow("seq")
        .batchSize(3)
        .pollInterval(Duration.ofMillis(20))
        .position(store, "readings.mongo.position");
  }

  private static void insert(MongoCollection<Document> c, int from, int to) {
    List<Document> docs = new ArrayList<>();
    for (int i = from; i < to; i++) {
      docs.add(new Document("seq", i).append("sensor", "s" + i).append("value", i * 1.5));
    }
    c.insertMany(docs);
  }

  @Test
  void followsACollectionByAnIncreasingFieldAndARestartDoesNotReplayIt() throws Exception {
    String db = TestMongo.database();
    MongoCollection<Document> c = client.getDatabase(db).getCollection("readings");
    insert(c, 0, 7);
    Path data = dir.resolve("store");
    try (Store store = Sluice.open("sqlite:" + data)) {
      EventStream<Map<String, Object>> s = store.stream("readings");
      try (EventStream.Attachment a = s.attach(source(db, store).build())) {
        await("7 records", () -> s.metadata().recordCount() == 7);
        assertThat(a.failure()).isEmpty();
      }
    }
    insert(c, 7, 10);
    try (Store store = Sluice.open("sqlite:" + data)) { // a new process would see the same
      EventStream<Map<String, Object>> s = store.stream("readings");
      try (EventStream.Attachment a = s.attach(source(db, store).build())) {
        await("10 records", () -> s.metadata().recordCount() >= 10);
        Thread.sleep(100); // a replay would show within a few polls
        assertThat(a.failure()).isEmpty();
      }
      List<Record<Map<String, Object>>> all = s.read(0, 100);
      assertThat(all)
          .extracting(r -> r.value().get("seq"))
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      assertThat(all.get(0).value()).containsEntry("sensor", "s0").containsEntry("value", 0.0);
      assertThat(all.get(0).value().get("_id")).isInstanceOf(String.class);
    }
  }

  @Test
  void aDocumentTheCodecRefusesGoesToTheDeadLetterStreamWithItsIdAndTheSourceGoesOn()
      throws Exception {
    String db = TestMongo.database();
    MongoCollection<Document> c = client.getDatabase(db).getCollection("readings");
    ObjectId bad = new ObjectId();
    c.insertOne(new Document("seq", 1).append("sensor", "a").append("value", 1.0));
    c.insertOne(
        new Document("_id", bad).append("seq", 2).append("sensor", "b").append("value", "high"));
    c.insertOne(new Document("seq", 3).append("sensor", "c").append("value", 3.0));
    try (Store store = Sluice.open("mem:")) {
      EventStream<Reading> s = store.stream("readings", Reading.class);
      try (EventStream.Attachment a = s.attach(source(db, store).as(Codecs.json(Reading.class)))) {
        await("2 records", () -> s.metadata().recordCount() == 2);
        await("1 dead letter", () -> a.deadLettered() == 1);
        assertThat(a.isRunning()).isTrue();
      }
      assertThat(s.read(0, 10))
          .extracting(Record::value)
          .containsExactly(new Reading("a", 1.0), new Reading("c", 3.0));
      Map<String, Object> letter = store.deadLetters("readings").read(0, 1).get(0).value();
      assertThat(letter.get("position"))
          .isEqualTo(Map.of("database", db, "collection", "readings", "_id", bad.toHexString()));
      assertThat(letter).containsKey("value").containsKey("error");
    }
  }

  @Test
  void theSinkInsertsEachElementOfAListResultAsADocument() throws Exception {
    String db = TestMongo.database();
    try (Store store = Sluice.open("mem:");
        MongoSink sink = MongoSink.builder(mongo.url(), db, "out").build()) {
      EventStream<Map<String, Object>> in = store.stream("in");
      for (int i = 0; i < 6; i++) {
        in.append(Map.of("i", i));
      }
      try (StreamingJob job =
          store.streaming("in").size(3).process(w -> w.data()).sink(Sinks.expand(sink)).start()) {
        await(
            "6 documents", () -> client.getDatabase(db).getCollection("out").countDocuments() == 6);
      }
    }
  }

  @Test
  void upsertByWindowMakesARetriedWindowReplaceItsDocuments() throws Exception {
    String db = TestMongo.database();
    MongoCollection<Document> out = client.getDatabase(db).getCollection("totals");
    try (MongoSink sink =
        MongoSink.builder(mongo.url(), db, "totals").upsertByWindow("window").build()) {
      var expanded = Sinks.<Object>expand(sink);
      List<Map<String, Object>> window =
          List.of(Map.of("window", "g:7", "n", 1), Map.of("window", "g:7", "n", 2));
      expanded.write(window);
      expanded.write(window); // the same window again, as after a lost commit
      assertThat(out.countDocuments()).isEqualTo(2);
      assertThat(out.find().into(new ArrayList<>()))
          .extracting(d -> d.get("_id"))
          .containsExactlyInAnyOrder("g:7#0", "g:7#1");
    }
    try (MongoSink plain = MongoSink.builder(mongo.url(), db, "plain").build()) {
      plain.write(Map.of("window", "g:7"));
      plain.write(Map.of("window", "g:7"));
    }
    assertThat(client.getDatabase(db).getCollection("plain").countDocuments()).isEqualTo(2);
  }

  @Test
  void followsAChangeStreamAndResumesAfterTheLastStoredChange() throws Exception {
    String db = TestMongo.database();
    MongoCollection<Document> c = client.getDatabase(db).getCollection("readings");
    c.insertOne(new Document("seq", -1)); // before the source: not a change it sees
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("changes");
      long[] probes = {0};
      MongoSource.Builder b =
          MongoSource.builder(mongo.url(), db, "readings")
              .changeStream()
              .position(store, "changes.mongo.position");
      try (EventStream.Attachment a = s.attach(b.build())) {
        await(
            "watching",
            () -> {
              c.insertOne(new Document("probe", true));
              Thread.sleep(100);
              return s.metadata().recordCount() > 0;
            });
        probes[0] = s.metadata().recordCount();
        insert(c, 0, 3);
        await("3 records", () -> s.metadata().recordCount() == probes[0] + 3);
      }
      insert(c, 3, 5);
      try (EventStream.Attachment a = s.attach(b.build())) {
        await("5 records", () -> s.metadata().recordCount() >= 5 + probes[0]);
        Thread.sleep(100);
      }
      assertThat(s.read(0, 100))
          .extracting(r -> r.value().get("seq"))
          .filteredOn(java.util.Objects::nonNull) // not the probes
          .containsExactly(0, 1, 2, 3, 4);
    }
  }

  @Test
  void aConfigurationCopiesOneCollectionToAnotherAndStartingItAgainStartsNothingNew()
      throws Exception {
    String db = TestMongo.database();
    MongoCollection<Document> c = client.getDatabase(db).getCollection("readings");
    insert(c, 0, 4);
    String json =
        """
        {"streams": {"readings": {"sources": [
            {"type": "mongo", "name": "shop", "url": "%1$s", "database": "%2$s",
             "collection": "readings", "follow": "seq", "pollInterval": "20ms"}]}},
         "consumers": [{"stream": "readings", "group": "copy", "window": {"count": 2},
            "sinks": [{"type": "mongo", "url": "%1$s", "database": "%2$s",
                       "collection": "copy"}]}]}
        """
            .formatted(mongo.url(), db);
    dev.sluice.config.SluiceConfig config =
        dev.sluice.config.SluiceConfig.parse("mongo.json", json);
    MongoCollection<Document> copy = client.getDatabase(db).getCollection("copy");
    try (Store store = Sluice.open("mem:");
        dev.sluice.config.Deployment first = config.start(store);
        dev.sluice.config.Deployment again = config.start(store)) {
      assertThat(again.sources().get("readings/shop"))
          .isSameAs(first.sources().get("readings/shop"));
      await("4 copied", () -> copy.countDocuments() == 4);
      assertThat(store.metadata("readings.shop.position")).isPresent();
      insert(c, 4, 6);
      await("6 copied", () -> copy.countDocuments() == 6);
      assertThat(store.stream("readings").metadata().recordCount()).isEqualTo(6);
    }
  }
}
