package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MQTT sink against a real broker (Moquette) in this JVM. */
class MqttSinkTest {
  private static MoquetteBroker broker;
  private static MqttClient subscriber;
  private static final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = MoquetteBroker.start(null);
    subscriber = Clients.connect(broker.url(), "test-subscriber");
    subscriber.subscribe(
        "results/#",
        1,
        (topic, m) ->
            received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    subscriber.disconnect();
    subscriber.close();
    broker.close();
  }

  @Test
  void publishesEachElementOfAListResultOnOneKeptOpenConnection() throws Exception {
    received.clear();
    try (Store store = Sluice.open("mem:");
        MqttSink sink =
            MqttSink.builder(broker.url()).topic("results/a").qos(1).clientId("sink-a").build()) {
      EventStream<Map<String, Object>> in = store.stream("in");
      for (int i = 0; i < 9; i++) {
        in.append(Map.of("i", i));
      }
      try (StreamingJob job =
          store.streaming("in").size(3).process(w -> w.data()).sink(Sinks.expand(sink)).start()) {
        await("9 messages", () -> received.size() == 9);
      }
      assertThat(received.get(0)).isEqualTo("results/a {\"i\":0}");
      assertThat(received.get(8)).isEqualTo("results/a {\"i\":8}");
      assertThat(broker.connects("sink-a")).as("connections for 3 windows").isEqualTo(1);
    }
  }

  @Test
  void reconnectsOnTheNextWriteAfterTheBrokerDroppedTheConnection() throws Exception {
    received.clear();
    try (MqttSink sink =
        MqttSink.builder(broker.url()).topic("results/b").qos(1).clientId("sink-b").build()) {
      sink.write(Map.of("n", 1));
      await("first", () -> received.size() == 1);
      broker.server().disconnectClient("sink-b");
      await(
          "dropped",
          () ->
              broker.server().listConnectedClients().stream()
                  .noneMatch(c -> c.getClientID().equals("sink-b")));
      sink.write(Map.of("n", 2));
      await("second", () -> received.size() == 2);
      assertThat(broker.connects("sink-b")).isEqualTo(2);
    }
    assertThat(received).containsExactly("results/b {\"n\":1}", "results/b {\"n\":2}");
  }
}
