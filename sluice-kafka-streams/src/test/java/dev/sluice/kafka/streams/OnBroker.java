package dev.sluice.kafka.streams;

import dev.sluice.kafka.KafkaBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A real broker for the whole test class, and a temp directory for state. */
abstract class OnBroker {
  static KafkaBroker broker;
  @TempDir static Path dir;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }
}
