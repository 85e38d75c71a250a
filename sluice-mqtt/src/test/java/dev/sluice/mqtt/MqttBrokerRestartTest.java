package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker restart in the middle of a QoS 1 stream: every message the broker acknowledged to the
 * publisher ends up in the stream (duplicates allowed and counted, none lost).
 */
class MqttBrokerRestartTest {
  private static final int MESSAGES = 400;
  @TempDir Path dir;

  @Test
  void aBrokerRestartMidStreamLosesNoAcknowledgedQos1Message() throws Exception {
    Set<Integer> acked = new ConcurrentSkipListSet<>();
    try (MoquetteBroker broker = MoquetteBroker.start(dir.resolve("broker"));
        Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      EventStream<Map<String, Object>> s = store.stream("restart");
      MqttSource<Map<String, Object>> source =
          MqttSource.builder(broker.url())
              .topics("restart/#")
              .qos(1)
              .clientId("restart-source")
              .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
              .envelopes();
      try (EventStream.Attachment a = s.attach(source)) {
        await("connected", () -> broker.connects("restart-source") == 1);
        Thread.sleep(200);
        Thread publisher = new Thread(() -> publish(broker.url(), acked), "test-publisher");
        publisher.start();
        await("half acknowledged", () -> acked.size() >= MESSAGES / 2);
        broker.restart();
        publisher.join(Clients.WAIT.multipliedBy(3).toMillis());
        assertThat(acked).hasSize(MESSAGES);
        await("the source reconnected", () -> broker.connects("restart-source") >= 2);
        await("every acknowledged message stored", () -> stored(s).keySet().containsAll(acked));
        assertThat(a.failure()).isEmpty();
      }
      Map<Integer, Integer> counts = stored(s);
      Set<Integer> lost = new TreeSet<>(acked);
      lost.removeAll(counts.keySet());
      assertThat(lost).as("acknowledged but lost").isEmpty();
      long duplicates = counts.values().stream().filter(c -> c > 1).count();
      System.out.printf(
          "broker restart: %d acknowledged, %d stored, %d duplicated%n",
          acked.size(), s.metadata().recordCount(), duplicates);
    }
  }

  private static Map<Integer, Integer> stored(EventStream<Map<String, Object>> s) {
    Map<Integer, Integer> counts = new HashMap<>();
    long from = 0;
    while (true) {
      List<Record<Map<String, Object>>> page = s.read(from, 1_000);
      if (page.isEmpty()) {
        return counts;
      }
      for (Record<Map<String, Object>> r : page) {
        Object payload = r.value().get("payload");
        if (payload instanceof Map<?, ?> m && m.get("i") instanceof Integer i) {
          counts.merge(i, 1, Integer::sum);
        }
      }
      from = page.get(page.size() - 1).offset() + 1;
    }
  }

  /** Publishes each message with QoS 1 until the broker acknowledged it, reconnecting as needed. */
  private static void publish(String url, Set<Integer> acked) {
    long deadline = System.nanoTime() + Clients.WAIT.multipliedBy(3).toNanos();
    MqttClient c = null;
    int i = 0;
    while (i < MESSAGES && System.nanoTime() < deadline) {
      try {
        if (c == null) {
          c = Clients.connect(url, "restart-publisher");
        }
        Clients.publish(c, "restart/" + (i % 4), "{\"i\":" + i + "}", 1);
        acked.add(i++);
      } catch (MqttException e) {
        close(c);
        c = null;
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
    close(c);
  }

  private static void close(MqttClient c) {
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnect();
      }
      c.close();
    } catch (MqttException e) {
      // gone
    }
  }
}
