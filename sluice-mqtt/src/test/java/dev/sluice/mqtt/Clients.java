package dev.sluice.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
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

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }
}
