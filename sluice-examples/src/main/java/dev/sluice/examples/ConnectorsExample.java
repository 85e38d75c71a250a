package dev.sluice.examples;

import dev.sluice.EventStream;
import dev.sluice.Sinks;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.config.Deployment;
import dev.sluice.config.SluiceConfig;
import dev.sluice.mongo.MongoSink;
import dev.sluice.mongo.MongoSource;
import dev.sluice.mqtt.MqttSink;
import dev.sluice.mqtt.MqttSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The connectors examples of README.md and docs/CONNECTORS.md, compiled. */
public final class ConnectorsExample {
  private ConnectorsExample() {}

  /** What {@link #mqttToMongo} started; closing stops both. */
  public record Running(EventStream.Attachment source, StreamingJob job) implements AutoCloseable {
    @Override
    public void close() {
      job.close();
      source.close();
    }
  }

  /**
   * Stores what MQTT sensors publish in the stream {@code readings}, and writes every record of
   * each window of 100 as a document of MongoDB collection {@code iot.readings}.
   */
  public static Running mqttToMongo(Store store, String brokerUrl, String mongoUrl) {
    // README: connectors
    EventStream<Map<String, Object>> readings = store.stream("readings");
    EventStream.Attachment sensors =
        readings.attach( // {topic, payload, qos, retain}; acknowledged once stored
            MqttSource.builder(brokerUrl)
                .topics("sensors/#")
                .qos(1)
                .clientId("readings-in") // a persistent session: nothing is missed while down
                .envelopes());
    StreamingJob archive =
        store
            .streaming("readings")
            .group("archive")
            .size(100)
            .process(w -> w.data()) // a list per window...
            .sink(
                Sinks.expand(
                    MongoSink.builder(mongoUrl, "iot", "readings").build())) // ...one document each
            .start();
    // README: end
    return new Running(sensors, archive);
  }

  /**
   * Follows MongoDB collection {@code shop.orders} by {@code _id} into the stream {@code orders},
   * keeping its position in the store, and publishes one MQTT message per order of each window.
   */
  public static Running mongoToMqtt(Store store, String mongoUrl, String brokerUrl) {
    // CONNECTORS: mongo to mqtt
    EventStream.Attachment orders =
        store.stream("orders")
            .attach(
                MongoSource.builder(mongoUrl, "shop", "orders")
                    .follow("_id")
                    .position(store, "orders.mongo.position") // a restart does not replay
                    .build());
    StreamingJob publish =
        store
            .streaming("orders")
            .group("notify")
            .size(10)
            .process(w -> List.copyOf(w.data()))
            .sink(Sinks.expand(MqttSink.builder(brokerUrl).topic("shop/orders").qos(1).build()))
            .start();
    // CONNECTORS: end
    return new Running(orders, publish);
  }

  /** Starts what a configuration file declares, on its store, until the returned handle closes. */
  public static Deployment fromConfiguration(Path file) {
    // README: configuration
    Deployment running = SluiceConfig.read(file).start(); // sources attached, consumers started
    running.consumers().forEach((name, job) -> System.out.println(name + " " + job.metrics()));
    // README: end
    return running;
  }
}
