package dev.sluice.mqtt;

import dev.sluice.Codecs;
import dev.sluice.spi.Codec;
import dev.sluice.spi.Source;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source that subscribes to MQTT topic filters and emits each message, either as minibatch's
 * envelope {@code {topic, payload, qos, retain}} with the payload decoded by a codec, or as the
 * decoded payload alone.
 *
 * <p>Delivery: a QoS 1 or 2 message is acknowledged to the broker only once its record is durable
 * in the stream (manual acknowledgements), and the session is persistent by default ({@code
 * cleanSession(false)}, a stable client id), so a message is redelivered by the broker after a
 * crash, a lost connection or a broker restart until Sluice has stored it: at-least-once. QoS 0
 * messages are at-most-once, as MQTT defines them. A payload the codec cannot decode goes to the
 * stream's dead-letter stream with its topic and message id, and is then acknowledged.
 *
 * <p>Connection: connects when run, re-subscribes on every connection, and after a lost connection
 * (or a failed connect) retries with exponential backoff from {@link Builder#backoff} up to its
 * maximum. {@link #close()} stops it. Build with {@link #builder(String)}.
 *
 * @param <T> what it emits
 */
public final class MqttSource<T> implements Source<T> {
  private static final Logger LOG = LoggerFactory.getLogger(MqttSource.class);
  private static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(10);

  private final Builder settings;
  private final Decoder<T> decoder;
  private final AtomicReference<CountDownLatch> session = new AtomicReference<>();
  private final Object wake = new Object();
  private volatile boolean closed;
  private volatile Throwable failure;

  @FunctionalInterface
  interface Decoder<T> {
    T decode(String topic, MqttMessage message) throws Exception;
  }

  private MqttSource(Builder settings, Decoder<T> decoder) {
    this.settings = settings;
    this.decoder = decoder;
  }

  /**
   * A source reading from the broker at {@code serverUri}, such as {@code tcp://127.0.0.1:1883} or
   * {@code ssl://broker:8883}.
   */
  public static Builder builder(String serverUri) {
    return new Builder(Objects.requireNonNull(serverUri, "serverUri"));
  }

  @Override
  public void run(Emitter<? super T> emitter) throws Exception {
    Duration backoff = settings.minBackoff;
    while (!closed) {
      CountDownLatch lost = new CountDownLatch(1);
      session.set(lost);
      MqttAsyncClient client =
          new MqttAsyncClient(settings.serverUri, settings.clientId, new MemoryPersistence());
      AtomicReference<CompletableFuture<Long>> last = new AtomicReference<>();
      client.setManualAcks(true);
      client.setCallback(new Receiver(client, emitter, lost, last));
      try {
        client.connect(settings.options()).waitForCompletion(OPERATION_TIMEOUT.toMillis());
        subscribe(client);
        LOG.info("{} subscribed to {}", this, settings.topics);
        backoff = settings.minBackoff;
        lost.await();
      } catch (MqttException e) {
        if (!closed) {
          LOG.warn("{}: {}; retrying in {}", this, e.toString(), backoff);
        }
      } finally {
        finish(client, last.get());
      }
      if (failure != null) {
        throw new MqttConnectorException(this + " stopped: a record could not be stored", failure);
      }
      sleep(backoff);
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(settings.maxBackoff) > 0) {
        backoff = settings.maxBackoff;
      }
    }
  }

  private void subscribe(MqttAsyncClient client) throws MqttException {
    String[] filters = settings.topics.toArray(String[]::new);
    int[] qos = new int[filters.length];
    java.util.Arrays.fill(qos, settings.qos);
    var token = client.subscribe(filters, qos);
    token.waitForCompletion(OPERATION_TIMEOUT.toMillis());
    int[] granted = token.getGrantedQos();
    for (int i = 0; granted != null && i < granted.length; i++) {
      if (granted[i] == 0x80) {
        throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
      }
    }
  }

  /** Lets pending appends finish (so their messages are acknowledged), then disconnects. */
  private void finish(MqttAsyncClient client, CompletableFuture<Long> last) {
    if (last != null) {
      try {
        last.get(OPERATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // unacknowledged: the broker redelivers
      }
    }
    try {
      if (client.isConnected()) {
        client.disconnect(1_000).waitForCompletion(OPERATION_TIMEOUT.toMillis());
      }
    } catch (MqttException e) {
      LOG.debug("{}: disconnect: {}", this, e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("{}: close: {}", this, e.toString());
    }
  }

  private void sleep(Duration d) throws InterruptedException {
    synchronized (wake) {
      if (!closed) {
        TimeUnit.NANOSECONDS.timedWait(wake, d.toNanos());
      }
    }
  }

  /** Receives messages on the client's thread and hands them over. */
  private final class Receiver implements MqttCallback {
    private final MqttAsyncClient client;
    private final Emitter<? super T> emitter;
    private final CountDownLatch lost;
    private final AtomicReference<CompletableFuture<Long>> last;

    Receiver(
        MqttAsyncClient client,
        Emitter<? super T> emitter,
        CountDownLatch lost,
        AtomicReference<CompletableFuture<Long>> last) {
      this.client = client;
      this.emitter = emitter;
      this.lost = lost;
      this.last = last;
    }

    @Override
    public void connectionLost(Throwable cause) {
      if (!closed) {
        LOG.warn("{}: connection lost: {}", MqttSource.this, String.valueOf(cause));
      }
      lost.countDown();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        T value;
        try {
          value = decoder.decode(topic, message);
        } catch (Exception e) {
          emitter.deadLetter(position(topic, message), message.getPayload(), e);
          acknowledge(message);
          return;
        }
        CompletableFuture<Long> stored = emitter.emitAsync(value);
        last.set(stored);
        stored.whenComplete(
            (offset, e) -> {
              if (e == null) {
                acknowledge(message);
              } else {
                fail(e);
              }
            });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closing; the broker redelivers
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    private void fail(Throwable e) {
      if (failure == null) {
        failure = e;
      }
      lost.countDown();
    }

    private void acknowledge(MqttMessage message) {
      if (message.getQos() == 0) {
        return;
      }
      try {
        client.messageArrivedComplete(message.getId(), message.getQos());
      } catch (MqttException | RuntimeException e) {
        LOG.debug("{}: acknowledging {}: {}", MqttSource.this, message.getId(), e.toString());
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  private Map<String, Object> position(String topic, MqttMessage message) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("broker", settings.serverUri);
    p.put("topic", topic);
    p.put("messageId", message.getId());
    p.put("qos", message.getQos());
    p.put("retain", message.isRetained());
    return p;
  }

  /** Stops the source: it disconnects once pending appends finished; idempotent. */
  @Override
  public void close() {
    closed = true;
    CountDownLatch s = session.get();
    if (s != null) {
      s.countDown();
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public String toString() {
    return "mqtt(" + settings.serverUri + " " + settings.topics + " as " + settings.clientId + ")";
  }

  /** Settings of an {@link MqttSource}; ends with {@link #envelopes()} or {@link #payloads}. */
  public static final class Builder {
    private final String serverUri;
    private List<String> topics = List.of();
    private int qos = 1;
    private String clientId;
    private boolean cleanSession;
    private Duration minBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration keepAlive = Duration.ofSeconds(30);
    private String username;
    private String password;
    private Codec<?> payloadCodec = Codecs.json(Object.class);

    private Builder(String serverUri) {
      this.serverUri = serverUri;
    }

    /** The topic filters to subscribe to, such as {@code sensors/+/temperature} or {@code a/#}. */
    public Builder topics(String... filters) {
      if (filters.length == 0) {
        throw new IllegalArgumentException("an MQTT source needs at least one topic filter");
      }
      this.topics = List.of(filters);
      return this;
    }

    /** The QoS to subscribe with: 0, 1 (the default) or 2. */
    public Builder qos(int qos) {
      this.qos = MqttOptions.qos(qos);
      return this;
    }

    /**
     * The client id; keep it stable across restarts so the broker keeps the session. Default: one
     * derived from the broker and the topic filters.
     */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /**
     * Whether the broker forgets the session (and messages queued for it) on disconnect. Default
     * false: messages published while the source is down are delivered when it is back.
     */
    public Builder cleanSession(boolean cleanSession) {
      this.cleanSession = cleanSession;
      return this;
    }

    /** Waits between reconnection attempts: {@code first}, doubling up to {@code max}. */
    public Builder backoff(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException(
            "MQTT backoff must be positive with max >= first: " + first + ", " + max);
      }
      this.minBackoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** The MQTT keep-alive interval. Default 30 s. */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
      return this;
    }

    /** Credentials for the broker. */
    public Builder credentials(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = password;
      return this;
    }

    /** How envelopes' payloads are decoded. Default JSON (any JSON value). */
    public Builder payloadCodec(Codec<?> codec) {
      this.payloadCodec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Emits {@code {topic, payload, qos, retain}} per message, as minibatch does, the payload
     * decoded by {@link #payloadCodec}.
     */
    public MqttSource<Map<String, Object>> envelopes() {
      Builder b = done();
      Codec<?> codec = payloadCodec;
      return new MqttSource<>(
          b,
          (topic, m) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("topic", topic);
            e.put("payload", codec.decode(m.getPayload()));
            e.put("qos", m.getQos());
            e.put("retain", m.isRetained());
            return e;
          });
    }

    /** Emits each message's payload alone, decoded by {@code codec}. */
    public <T> MqttSource<T> payloads(Codec<T> codec) {
      Objects.requireNonNull(codec, "codec");
      return new MqttSource<>(done(), (topic, m) -> codec.decode(m.getPayload()));
    }

    private Builder done() {
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("an MQTT source needs topics(..)");
      }
      Builder b = copy();
      if (b.clientId == null) {
        b.clientId =
            "sluice-"
                + Integer.toHexString((serverUri + "|" + String.join(",", topics)).hashCode());
      }
      return b;
    }

    private Builder copy() {
      Builder b = new Builder(serverUri);
      b.topics = topics;
      b.qos = qos;
      b.clientId = clientId;
      b.cleanSession = cleanSession;
      b.minBackoff = minBackoff;
      b.maxBackoff = maxBackoff;
      b.keepAlive = keepAlive;
      b.username = username;
      b.password = password;
      b.payloadCodec = payloadCodec;
      return b;
    }

    MqttConnectOptions options() {
      MqttConnectOptions o = MqttOptions.connect(cleanSession, username, password);
      o.setKeepAliveInterval((int) Math.max(1, keepAlive.toSeconds()));
      o.setConnectionTimeout((int) OPERATION_TIMEOUT.toSeconds());
      return o;
    }
  }
}
