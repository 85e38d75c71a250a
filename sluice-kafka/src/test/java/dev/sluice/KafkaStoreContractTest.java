package dev.sluice;

import dev.sluice.kafka.KafkaBroker;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real Kafka broker; each test works under a topic prefix of its own. The
 * rules Kafka cannot keep are disabled here, each with its reason; {@code KafkaStoreTest} checks
 * what the Kafka store does instead. docs/KAFKA.md lists every difference.
 */
class KafkaStoreContractTest extends StoreContractTest {
  private static KafkaBroker broker;
  private final String url =
      "kafka://"
          + broker.bootstrap()
          + "?prefix=t"
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

  @Override
  protected boolean persistent() {
    return true;
  }

  @Test
  @Override
  @Disabled(
      "Kafka stamps records with the broker's clock (topics use LogAppendTime), not the store's"
          + " Clock; KafkaStoreTest checks broker timestamps never decrease along offsets")
  void timestampsComeFromTheStoreClockAndNeverDecrease() {}

  @Test
  @Override
  @Disabled(
      "an appendAll is one Kafka transaction: atomic, but its commit marker takes one offset, so"
          + " offsets are not dense and the record count of the offset range is one more;"
          + " KafkaStoreTest checks atomicity")
  void appendAllIsAtomicAndContiguous() {}

  @Test
  @Override
  @Disabled(
      "Kafka keeps no creation time of a topic (created is null); KafkaStoreTest checks the rest"
          + " of the metadata")
  void metadataDescribesTheStream() {}

  @Test
  @Override
  @Disabled(
      "Kafka cannot restart a topic at offset 0 while it exists (no CLEAR capability) nor delete"
          + " what every group consumed (no RETENTION_UNTIL_CONSUMED); KafkaStoreTest checks both"
          + " are refused clearly")
  void clearEmptiesTheStreamWithANewIncarnationAndKeepsRetention() {}

  @Test
  @Override
  @Disabled(
      "uses Retention.count(n), which Kafka cannot keep (topics are limited by time or size);"
          + " KafkaStoreTest checks reopening keeps streams, records and retention")
  void closeAndReopenKeepsEverythingWhileTheStoreLives() {}
}
