package dev.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerSmokeTest {
  @Test
  void startsAndStops() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      assertThat(broker.bootstrap()).contains(":");
      System.out.println("BOOTSTRAP " + broker.bootstrap());
    }
  }
}
