package dev.sluice;

import dev.sluice.kafka.KafkaBroker;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The consumer contract on Kafka consumer groups. The cases Kafka cannot meet are disabled here,
 * each with its reason; docs/KAFKA.md lists every difference.
 */
class KafkaConsumerContractTest extends ConsumerContractTest {
  private static KafkaBroker broker;
  private final String url =
      "kafka://"
          + broker.bootstrap()
          + "?prefix=c"
          + UUID.randomUUID().toString().substring(0, 8)
          + ".";

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Override
  protected String url() {
    return url;
  }
}
