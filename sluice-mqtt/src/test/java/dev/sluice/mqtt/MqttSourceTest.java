package dev.sluice.mqtt;

import static dev.sluice.mqtt.Clients.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Codecs;
import dev.sluice.EventStream;
import dev.sluice.Record;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.spi.Source;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The MQTT source against a real broker (Moquette) in this JVM. */
class MqttSourceTest {
  private static MoquetteBroker broker;
  private static MqttClient publisher;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = MoquetteBroker.start(null);
    publisher = Clients.connect(broker.url(), "test-publisher");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    publisher.disconnect();
    publisher.close();
    broker.close();
  }

  @Test
  void appendsEachMessageAsTopicPayloadQosRetainEnvelope() throws Exception {
    MqttSource<Map<String, Object>> source =
        MqttSource.builder(broker.url()).topics("env/#").qos(2).clientId("env").envelopes();
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("env");
      try (EventStream.Attachment a = s.attach(source)) {
        Clients.awaitSubscribed(() -> Clients.publish(publisher, "env/probe", "0", 1), s);
        Clients.publish(publisher, "env/a", "{\"t\":21.5}", 0);
        Clients.publish(publisher, "env/b", "[1,2]", 1);
        Clients.publish(publisher, "env/c/d", "\"text\"", 2);
        await("3 records", () -> withoutProbes(s).size() == 3);
      }
      assertThat(withoutProbes(s))
          .containsExactly(
              Map.of("topic", "env/a", "payload", Map.of("t", 21.5), "qos", 0, "retain", false),
              Map.of("topic", "env/b", "payload", List.of(1, 2), "qos", 1, "retain", false),
              Map.of("topic", "env/c/d", "payload", "text", "qos", 2, "retain", false));
    }
  }

  @Test
  void appendsThePayloadAloneDecodedByACodec() throws Exception {
    MqttSource<String> source =
        MqttSource.builder(broker.url())
            .topics("plain/+")
            .clientId("plain")
            .payloads(Codecs.string());
    try (Store store = Sluice.open("mem:")) {
      EventStream<String> s = store.stream("plain", Codecs.string());
      try (EventStream.Attachment a = s.attach(source)) {
        Clients.awaitSubscribed(() -> Clients.publish(publisher, "plain/probe", "probe", 1), s);
        long probes = s.metadata().recordCount();
        for (int i = 0; i < 50; i++) {
          Clients.publish(publisher, "plain/x", "m" + i, 1);
        }
        await("50 records", () -> s.metadata().recordCount() >= probes + 50);
      }
      assertThat(s.read(0, 200))
          .extracting(Record::value)
          .filteredOn(v -> !v.equals("probe"))
          .hasSize(50)
          .startsWith("m0", "m1")
          .endsWith("m49");
    }
  }

  @Test
  void aMalformedPayloadGoesToTheDeadLetterStreamWithItsTopicAndTheSourceGoesOn() throws Exception {
    MqttSource<Map<String, Object>> source =
        MqttSource.builder(broker.url()).topics("bad/#").clientId("bad").envelopes();
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("readings");
      try (EventStream.Attachment a = s.attach(source)) {
        Clients.awaitSubscribed(() -> Clients.publish(publisher, "bad/probe", "0", 1), s);
        Clients.publish(publisher, "bad/1", "{\"ok\":1}", 1);
        Clients.publish(publisher, "bad/2", "{not json", 1);
        Clients.publish(publisher, "bad/3", "{\"ok\":3}", 1);
        await("2 records", () -> withoutProbes(s).size() == 2);
        await("1 dead letter", () -> a.deadLettered() == 1);
        assertThat(a.isRunning()).isTrue();
      }
      List<Record<Map<String, Object>>> dead = store.deadLetters("readings").read(0, 10);
      assertThat(dead).hasSize(1);
      Map<String, Object> letter = dead.get(0).value();
      assertThat(letter).containsEntry("stream", "readings").containsKey("valueBase64");
      assertThat(letter.get("message").toString()).isNotBlank();
      @SuppressWarnings("unchecked")
      Map<String, Object> position = (Map<String, Object>) letter.get("position");
      assertThat(position)
          .containsEntry("topic", "bad/2")
          .containsEntry("qos", 1)
          .containsEntry("broker", broker.url())
          .containsKey("messageId");
      assertThat(withoutProbes(s))
          .extracting(v -> v.get("topic"))
          .containsExactly("bad/1", "bad/3");
    }
  }

  /** The envelopes stored, without those of probe messages. */
  static List<Map<String, Object>> withoutProbes(EventStream<Map<String, Object>> s) {
    return s.read(0, 1_000).stream()
        .map(Record::value)
        .filter(v -> !v.get("topic").toString().endsWith("/probe"))
        .toList();
  }

  /** An emitter of our own SPI that never finishes storing: the append is never durable. */
  static final class NeverDurable implements Source.Emitter<Object> {
    final List<Object> received = new CopyOnWriteArrayList<>();

    @Override
    public void emit(Object value) {
      throw new AssertionError("an acknowledging source must use emitAsync");
    }

    @Override
    public CompletableFuture<Long> emitAsync(Object value) {
      received.add(value);
      return new CompletableFuture<>();
    }
  }

  @Test
  void aQos1MessageIsAcknowledgedOnlyAfterItsAppendIsDurable() throws Exception {
    MqttSource<Map<String, Object>> first =
        MqttSource.builder(broker.url()).topics("acks/#").clientId("acks").envelopes();
    NeverDurable emitter = new NeverDurable();
    CountDownLatch ended = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try {
                first.run(emitter);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              } finally {
                ended.countDown();
              }
            });
    t.start();
    await(
        "subscribed",
        () -> {
          Clients.publish(publisher, "acks/probe", "0", 1);
          Thread.sleep(100);
          return !emitter.received.isEmpty();
        });
    Clients.publish(publisher, "acks/data", "{\"n\":1}", 1);
    await("received", () -> emitter.received.stream().anyMatch(v -> v.toString().contains("n=1")));
    first.close(); // gives up on the append after a bounded wait, without acknowledging
    assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();

    // the same session again: the broker must redeliver the unacknowledged message
    MqttSource<Map<String, Object>> second =
        MqttSource.builder(broker.url()).topics("acks/#").clientId("acks").envelopes();
    try (Store store = Sluice.open("mem:")) {
      EventStream<Map<String, Object>> s = store.stream("acks");
      try (EventStream.Attachment a = s.attach(second)) {
        await("redelivered", () -> withoutProbes(s).size() == 1);
      }
      assertThat(withoutProbes(s).get(0)).containsEntry("payload", Map.of("n", 1));
    }
  }
}
