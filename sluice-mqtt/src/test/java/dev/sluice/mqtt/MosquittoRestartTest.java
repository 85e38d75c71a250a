package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mosquitto restart (SIGTERM, persistence on) in the middle of a QoS 1 stream: every message the
 * broker acknowledged to the publisher ends up in the stream; duplicates are counted, none is lost.
 */
class MosquittoRestartTest {
  @TempDir Path dir;

  @Test
  void aBrokerRestartMidStreamLosesNoAcknowledgedQos1Message() throws Exception {
    Set<Integer> published = new ConcurrentSkipListSet<>();
    try (Mosquitto broker = Mosquitto.start(dir, true);
        Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      EventStream<Map<String, Object>> s = store.stream("restart");
      try (EventStream.Attachment a = s.attach(MqttBrokerRestartTest.source(broker.url()))) {
        try (MqttClient probe = Clients.connect(broker.url(), "restart-probe")) {
          Clients.awaitSubscribed(() -> Clients.publish(probe, "restart/probe", "{}", 1), s);
          probe.disconnect();
        }
        Thread publisher =
            new Thread(
                () -> MqttBrokerRestartTest.publish(broker.url(), published), "test-publisher");
        publisher.start();
        await("half published", () -> published.size() >= MqttBrokerRestartTest.MESSAGES / 2);
        broker.restart();
        publisher.join(Clients.WAIT.multipliedBy(3).toMillis());
        assertThat(published).hasSize(MqttBrokerRestartTest.MESSAGES);
        try {
          await(
              "every acknowledged message stored",
              () -> MqttBrokerRestartTest.stored(s).keySet().containsAll(published));
        } catch (AssertionError e) {
          Set<Integer> missing = new TreeSet<>(published);
          missing.removeAll(MqttBrokerRestartTest.stored(s).keySet());
          System.out.println(java.nio.file.Files.readString(dir.resolve("mosquitto.log")));
          throw new AssertionError(e.getMessage() + "; acknowledged but not stored: " + missing, e);
        }
        assertThat(a.failure()).isEmpty();
      }
      Map<Integer, Integer> counts = MqttBrokerRestartTest.stored(s);
      System.out.printf(
          "mosquitto restart: %d published (PUBACK from the broker), %d stored, %d duplicated%n",
          published.size(),
          s.metadata().recordCount(),
          counts.values().stream().filter(c -> c > 1).count());
    }
  }
}
