package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Record;
import dev.sluice.examples.QuickStart.Order;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuickStartTest {
  @TempDir Path dir;

  @Test
  void theReadmeStreamExampleRunsOnBothStores() {
    for (String url : new String[] {"mem:", "sqlite:" + dir.resolve("store")}) {
      assertThat(QuickStart.typedStreams(url))
          .extracting(Record::value)
          .containsExactly(
              new Order("o-1", 42), new Order("o-2", 7), new Order("o-3", 9), new Order("o-4", 1));
    }
  }
}
