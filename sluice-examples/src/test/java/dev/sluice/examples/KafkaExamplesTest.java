package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Record;
import dev.sluice.dataflow.Epoched;
import dev.sluice.dataflow.KV;
import dev.sluice.examples.ConsumerExample.Total;
import dev.sluice.examples.QuickStart.Order;
import dev.sluice.kafka.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

  @Test
  void theDataflowRunsOnKafkaStreamsWithTheLaptopsCounts() {
    String id = UUID.randomUUID().toString().substring(0, 6);
    var onKafka = DataflowAcrossMachines.onKafka(broker.bootstrap(), "lines-" + id, "counts-" + id);
    var onALaptop = DataflowAcrossMachines.onALaptop(List.of("to be or", "not to be"));

    assertThat(totals(onKafka)).isEqualTo(totals(onALaptop)).containsEntry("to", 2L);
  }

  private static Map<String, Long> totals(List<Epoched<KV<String, Long>>> counts) {
    Map<String, Long> totals = new TreeMap<>();
    counts.forEach(p -> totals.merge(p.item().key(), p.item().value(), Long::sum));
    return totals;
  }
}
