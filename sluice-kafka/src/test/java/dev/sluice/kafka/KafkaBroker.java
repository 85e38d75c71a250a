package dev.sluice.kafka;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka cluster (one combined broker and controller) in the test JVM, on
 * an ephemeral port of 127.0.0.1. Start one per test class.
 */
public final class KafkaBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private KafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Formats and starts a one-node cluster; returns once its broker is ready. */
  public static KafkaBroker start() {
    return start(Map.of());
  }

  /** As {@link #start()}, with extra broker configs. */
  public static KafkaBroker start(Map<String, String> extra) {
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit.Builder builder =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "4")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("transaction.state.log.num.partitions", "4")
              .setConfigProp("num.partitions", "1")
              .setConfigProp("auto.create.topics.enable", "false")
              .setConfigProp("delete.topic.enable", "true")
              .setConfigProp("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
      extra.forEach(builder::setConfigProp);
      KafkaClusterTestKit kit = builder.build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      return new KafkaBroker(kit);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test Kafka broker: " + e, e);
    }
  }

  /** {@code host:port} of the broker. */
  public String bootstrap() {
    return cluster.bootstrapServers();
  }

  /** The store URL of the broker, {@code kafka://host:port}. */
  public String url() {
    return "kafka://" + bootstrap();
  }

  /** The running cluster, for restarts. */
  public KafkaClusterTestKit cluster() {
    return cluster;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
