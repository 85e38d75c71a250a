package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.config.Deployment;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bson.Document;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the connectors examples against a real MQTT broker and a MongoDB wire-protocol server. */
class ConnectorsExampleTest {
  private static Server broker;
  private static String brokerUrl;
  private static MongoServer mongo;
  private static String mongoUrl;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", Integer.toString(port));
    p.setProperty("persistence_enabled", "false");
    p.setProperty("telemetry_enabled", "false");
    broker = new Server();
    broker.startServer(new MemoryConfig(p));
    brokerUrl = "tcp://127.0.0.1:" + port;
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    mongoUrl = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
  }

  @AfterAll
  static void stop() {
    broker.stopServer();
    mongo.shutdownNow();
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void await(Condition c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!c.holds()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void mqttReadingsEndUpAsMongoDocuments() throws Exception {
    try (Store store = Sluice.open("mem:");
        var running = ConnectorsExample.mqttToMongo(store, brokerUrl, mongoUrl);
        MongoClient client = MongoClients.create(mongoUrl);
        MqttClient sensor = new MqttClient(brokerUrl, "sensor", new MemoryPersistence())) {
      sensor.connect();
      var readings = client.getDatabase("iot").getCollection("readings");
      int[] sent = {0};
      await( // until subscribed, then 100 more for one full window
          () -> {
            sensor.publish(
                "sensors/t1",
                ("{\"c\":" + sent[0]++ + "}").getBytes(StandardCharsets.UTF_8),
                1,
                false);
            return store.stream("readings").metadata().recordCount() > 0;
          });
      for (int i = 0; i < 100; i++) {
        sensor.publish(
            "sensors/t1", ("{\"c\":" + sent[0]++ + "}").getBytes(StandardCharsets.UTF_8), 1, false);
      }
      await(() -> readings.countDocuments() >= 100);
      Document first = readings.find().first();
      assertThat(first.getString("topic")).isEqualTo("sensors/t1");
      sensor.disconnect();
    }
  }

  @Test
  void mongoOrdersArePublishedOverMqtt() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    try (Store store = Sluice.open("mem:");
        MongoClient client = MongoClients.create(mongoUrl);
        MqttClient app = new MqttClient(brokerUrl, "app", new MemoryPersistence())) {
      app.connect();
      app.subscribe(
          "shop/orders",
          1,
          (t, m) -> received.add(new String(m.getPayload(), StandardCharsets.UTF_8)));
      var orders = client.getDatabase("shop").getCollection("orders");
      for (int i = 0; i < 10; i++) {
        orders.insertOne(new Document("order", i));
      }
      try (var running = ConnectorsExample.mongoToMqtt(store, mongoUrl, brokerUrl)) {
        await(() -> received.size() == 10);
      }
      app.disconnect();
    }
    assertThat(received.get(0)).contains("\"order\":0");
  }

  @Test
  void aConfigurationFileStartsItsSourcesAndConsumers() throws Exception {
    Path in = Files.writeString(dir.resolve("in.ndjson"), "{\"a\":1}\n{\"a\":2}\n");
    Path out = dir.resolve("out.ndjson");
    Path config =
        Files.writeString(
            dir.resolve("sluice.json"),
            """
            {"store": "sqlite:%s",
             "streams": {"in": {"sources": [{"type": "ndjson", "path": "%s"}]}},
             "consumers": [{"stream": "in", "window": {"count": 2},
                            "sinks": [{"type": "ndjson", "path": "%s"}]}]}
            """
                .formatted(dir.resolve("data"), in, out));
    try (Deployment running = ConnectorsExample.fromConfiguration(config)) {
      await(() -> Files.exists(out) && Files.readAllLines(out).size() == 2);
    }
  }
}
