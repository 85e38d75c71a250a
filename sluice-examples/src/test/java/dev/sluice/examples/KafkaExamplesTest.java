package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Record;
import dev.sluice.examples.ConsumerExample.Total;
import dev.sluice.examples.QuickStart.Order;
import dev.sluice.kafka.KafkaBroker;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The examples run unchanged on Kafka: only the store URL differs. */
class KafkaExamplesTest {
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  private static String url() {
    return broker.url() + "?prefix=ex" + UUID.randomUUID().toString().substring(0, 6) + ".";
  }

  @Test
  void theStreamExampleRunsOnKafka() {
    assertThat(QuickStart.typedStreams(url()))
        .extracting(Record::value)
        .containsExactly(
            new Order("o-1", 42), new Order("o-2", 7), new Order("o-3", 9), new Order("o-4", 1));
  }

  @Test
  void theExactlyOnceConsumerExampleRunsOnKafka() throws Exception {
    List<Total> totals = ConsumerExample.billing(url(), 300);
    assertThat(totals.stream().mapToInt(Total::orders).sum()).isEqualTo(300);
  }
}
