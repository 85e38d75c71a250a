package dev.sluice.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An outside MQTT client for tests, and waiting with a deadline. */
final class Clients {
  static final Duration WAIT = Duration.ofSeconds(20);

  private Clients() {}

  static MqttClient connect(String url, String clientId) throws MqttException {
    MqttClient c = new MqttClient(url, clientId, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setMaxInflight(1_000);
    c.connect(o);
    return c;
  }

  static void publish(MqttClient c, String topic, String payload, int qos) throws MqttException {
    c.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
  }

  /** Something that publishes one probe message. */
  @FunctionalInterface
  interface Probe {
    void publish() throws Exception;
  }

  /**
   * Publishes probes until the first is stored: the source has subscribed (a broker drops what is
   * published to a filter nobody has subscribed to yet).
   */
  static void awaitSubscribed(Probe probe, dev.sluice.EventStream<?> stream) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (stream.metadata().recordCount() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the source did not subscribe within " + WAIT);
      }
      probe.publish();
      Thread.sleep(100);
    }
  }

  /** A condition that may throw. */
  @FunctionalInterface
  interface Condition {
    boolean holds() throws Exception;
  }

  static void await(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }
}
