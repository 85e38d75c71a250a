package dev.sluice.mqtt;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/** Checks and connection options shared by the MQTT source and sink. */
final class MqttOptions {
  private MqttOptions() {}

  /** The QoS, checked. */
  static int qos(int qos) {
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2: " + qos);
    }
    return qos;
  }

  /** MQTT 3.1.1 options without Paho's own reconnection, with credentials when given. */
  static MqttConnectOptions connect(boolean cleanSession, String username, String password) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(cleanSession);
    o.setAutomaticReconnect(false);
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    if (username != null) {
      o.setUserName(username);
      if (password != null) {
        o.setPassword(password.toCharArray());
      }
    }
    return o;
  }
}
