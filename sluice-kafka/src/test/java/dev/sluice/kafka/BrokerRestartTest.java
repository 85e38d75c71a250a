package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StreamingJob;
import dev.sluice.Windows;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kafka.server.BrokerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker restarts while a consumer runs and a producer appends: nothing is lost. */
class BrokerRestartTest {
  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Test
  void aBrokerRestartMidRunLosesNothing() throws Exception {
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    try (Store store = Sluice.open(broker.url() + "?prefix=restart.")) {
      EventStream<Map<String, Object>> s = store.stream("in");
      for (int i = 0; i < 200; i++) {
        s.append(Map.of("n", i));
      }
      try (StreamingJob job =
          store
              .streaming("in")
              .window(Windows.count(10).orAfter(Duration.ofMillis(200)))
              .start(w -> w.data().forEach(v -> seen.add(((Number) v.get("n")).intValue())))) {
        KafkaConsumerTest.await(() -> seen.size() == 200, "the first 200 handled");
        BrokerServer server = broker.cluster().brokers().values().iterator().next();
        server.shutdown();
        server.awaitShutdown();
        server.startup();
        broker.cluster().waitForReadyBrokers();
        for (int i = 200; i < 400; i++) {
          s.append(Map.of("n", i)); // retried by the producer until the broker is back
        }
        KafkaConsumerTest.await(() -> seen.size() == 400, "every record handled after the restart");
        assertThat(job.isRunning()).isTrue();
      }
    }
    assertThat(seen).hasSize(400);
  }
}
