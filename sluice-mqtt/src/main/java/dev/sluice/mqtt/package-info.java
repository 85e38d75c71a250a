/**
 * MQTT connectors: {@link dev.sluice.mqtt.MqttSource} subscribes to topic filters and acknowledges
 * each QoS 1/2 message only once its record is durable; {@link dev.sluice.mqtt.MqttSink} publishes
 * results on one kept-open connection. Both are available in configuration files as type {@code
 * "mqtt"}. Built on the Eclipse Paho MQTT v3 client.
 */
package dev.sluice.mqtt;
