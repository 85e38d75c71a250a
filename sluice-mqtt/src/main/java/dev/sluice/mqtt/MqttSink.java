package dev.sluice.mqtt;

import dev.sluice.Codecs;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Sink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A sink that publishes each result as one MQTT message to a topic, on one connection kept open for
 * the sink's life (made on the first write, made again on the next write after it was lost).
 *
 * <p>{@code write} and {@code writeAll} return once the broker has acknowledged every message (QoS
 * 1: PUBACK, QoS 2: PUBCOMP; QoS 0: once sent), so a consumer commits a window only after its
 * results reached the broker: at-least-once (a retried window publishes again). Wrap it in {@link
 * dev.sluice.Sinks#expand} to publish each element of a list result as its own message.
 * Thread-safe; build with {@link #builder(String)}.
 */
public final class MqttSink implements Sink<Object> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_IN_FLIGHT = 1_000;
  private final String serverUri;
  private final String topic;
  private final int qos;
  private final boolean retain;
  private final String clientId;
  private final Codec<Object> codec;
  private final MqttConnectOptions options;
  private MqttAsyncClient client;
  private boolean closed;

  private MqttSink(Builder b) {
    this.serverUri = b.serverUri;
    this.topic = b.topic;
    this.qos = b.qos;
    this.retain = b.retain;
    this.clientId = b.clientId != null ? b.clientId : MqttAsyncClient.generateClientId();
    this.codec = b.codec;
    this.options = MqttOptions.connect(true, b.username, b.password);
    options.setMaxInflight(MAX_IN_FLIGHT);
  }

  /** A sink publishing to the broker at {@code serverUri}, such as {@code tcp://127.0.0.1:1883}. */
  public static Builder builder(String serverUri) {
    return new Builder(Objects.requireNonNull(serverUri, "serverUri"));
  }

  @Override
  public void write(Object value) throws Exception {
    writeAll(List.of(value));
  }

  @Override
  public synchronized void writeAll(List<?> values) throws Exception {
    if (closed) {
      throw new IllegalStateException("MQTT sink " + this + " is closed");
    }
    try {
      publishAll(values);
    } catch (MqttException e) {
      drop();
      if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST
          && e.getReasonCode() != MqttException.REASON_CODE_CLIENT_NOT_CONNECTED) {
        throw failed(e);
      }
      try {
        publishAll(values); // the connection was found lost: once more on a new one
      } catch (MqttException again) {
        drop();
        throw failed(again);
      }
    }
  }

  private MqttConnectorException failed(MqttException e) {
    return new MqttConnectorException("publishing to " + topic + " at " + serverUri + " failed", e);
  }

  private void publishAll(List<?> values) throws Exception {
    MqttAsyncClient c = connected();
    ArrayDeque<IMqttDeliveryToken> pending = new ArrayDeque<>();
    for (Object v : values) {
      if (pending.size() >= MAX_IN_FLIGHT) {
        pending.poll().waitForCompletion(TIMEOUT.toMillis());
      }
      MqttMessage m = new MqttMessage(codec.encode(v));
      m.setQos(qos);
      m.setRetained(retain);
      pending.add(c.publish(topic, m));
    }
    for (IMqttDeliveryToken t : pending) {
      t.waitForCompletion(TIMEOUT.toMillis());
    }
  }

  private MqttAsyncClient connected() throws MqttException {
    if (client != null && client.isConnected()) {
      return client;
    }
    drop();
    MqttAsyncClient c = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
    try {
      c.connect(options).waitForCompletion(TIMEOUT.toMillis());
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    client = c;
    return c;
  }

  private void drop() {
    if (client == null) {
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1_000).waitForCompletion(TIMEOUT.toMillis());
      }
    } catch (MqttException e) {
      // gone already
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      // gone already
    }
    client = null;
  }

  /** Disconnects. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    drop();
  }

  @Override
  public String toString() {
    return "mqtt(" + serverUri + " " + topic + " qos " + qos + ")";
  }

  /** Settings of an {@link MqttSink}. */
  public static final class Builder {
    private final String serverUri;
    private String topic;
    private int qos = 1;
    private boolean retain;
    private String clientId;
    private String username;
    private String password;
    private Codec<Object> codec = Codecs.json(Object.class);

    private Builder(String serverUri) {
      this.serverUri = serverUri;
    }

    /** The topic every result is published to (no wildcards). */
    public Builder topic(String topic) {
      Objects.requireNonNull(topic, "topic");
      if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
        throw new IllegalArgumentException(
            "an MQTT topic to publish to must be non-empty without + or #: \"" + topic + "\"");
      }
      this.topic = topic;
      return this;
    }

    /** The QoS to publish with: 0, 1 (the default) or 2. */
    public Builder qos(int qos) {
      this.qos = MqttOptions.qos(qos);
      return this;
    }

    /** Whether messages are retained by the broker. Default false. */
    public Builder retain(boolean retain) {
      this.retain = retain;
      return this;
    }

    /** The client id. Default: a generated one. */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** Credentials for the broker. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = password;
      return this;
    }

    /** How results become payloads. Default JSON. */
    @SuppressWarnings("unchecked")
    public Builder codec(Codec<?> codec) {
      this.codec = (Codec<Object>) Objects.requireNonNull(codec, "codec");
      return this;
    }

    /** The sink; it connects on its first write. */
    public MqttSink build() {
      if (topic == null) {
        throw new IllegalArgumentException("an MQTT sink needs topic(..)");
      }
      return new MqttSink(this);
    }
  }
}
