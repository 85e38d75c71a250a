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
 * A Moquette restart in the middle of a QoS 1 stream: the source reconnects with backoff, its
 * persistent session resumes and it goes on to the last message. Moquette 0.17 does not keep the
 * messages in flight to a subscriber across its own restart, so a few it had accepted may be lost
 * by the broker: they are counted, not asserted. {@link MosquittoInteropTest} checks end to end,
 * with Mosquitto's persistence, that no message the broker accepted is lost.
 */
class MqttBrokerRestartTest {
  static final int MESSAGES = 400;
  @TempDir Path dir;

  @Test
  void theSourceReconnectsAfterABrokerRestartMidStreamAndGoesOn() throws Exception {
    Set<Integer> published = new ConcurrentSkipListSet<>();
    try (MoquetteBroker broker = MoquetteBroker.start(dir.resolve("broker"));
        Store store = Sluice.open("sqlite:" + dir.resolve("store"))) {
      EventStream<Map<String, Object>> s = store.stream("restart");
      try (EventStream.Attachment a = s.attach(source(broker.url()))) {
        try (MqttClient probe = Clients.connect(broker.url(), "restart-probe")) {
          Clients.awaitSubscribed(() -> Clients.publish(probe, "restart/probe", "{}", 1), s);
          probe.disconnect();
        }
        Thread publisher = new Thread(() -> publish(broker.url(), published), "test-publisher");
        publisher.start();
        await("half published", () -> published.size() >= MESSAGES / 2);
        broker.restart();
        publisher.join(Clients.WAIT.multipliedBy(3).toMillis());
        assertThat(published).hasSize(MESSAGES);
        await("the source reconnected", () -> broker.connects("restart-source") >= 2);
        await("the last message stored", () -> stored(s).containsKey(MESSAGES - 1));
        assertThat(a.failure()).isEmpty();
      }
      Map<Integer, Integer> counts = stored(s);
      assertThat(published).containsAll(counts.keySet());
      Set<Integer> lostByBroker = new TreeSet<>(published);
      lostByBroker.removeAll(counts.keySet());
      System.out.printf(
          "moquette restart: %d published (PUBACK from the broker), %d stored, %d duplicated,"
              + " lost by the broker: %s%n",
          published.size(),
          s.metadata().recordCount(),
          counts.values().stream().filter(c -> c > 1).count(),
          lostByBroker);
    }
  }

  static MqttSource<Map<String, Object>> source(String url) {
    return MqttSource.builder(url)
        .topics("restart/#")
        .qos(1)
        .clientId("restart-source")
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .envelopes();
  }

  private static Integer id(byte[] payload) {
    String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
    if (!text.startsWith("{\"i\":")) {
      return null;
    }
    return Integer.valueOf(text.substring(5, text.length() - 1));
  }

  static Map<Integer, Integer> stored(EventStream<Map<String, Object>> s) {
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
  static void publish(String url, Set<Integer> acked) {
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
