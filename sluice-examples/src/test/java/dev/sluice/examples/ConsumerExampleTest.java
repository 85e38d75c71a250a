package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.Store;
import dev.sluice.StoreOptions;
import dev.sluice.Windows;
import dev.sluice.examples.ConsumerExample.Total;
import dev.sluice.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerExampleTest {
  @TempDir Path dir;

  @Test
  void billingTotalsEveryOrderExactlyOnce() throws Exception {
    List<Total> totals = ConsumerExample.billing("sqlite:" + dir.resolve("store"), 1_000);
    assertThat(totals).hasSize(10);
    assertThat(totals.stream().mapToInt(Total::orders).sum()).isEqualTo(1_000);
    assertThat(totals.stream().mapToInt(Total::amount).sum()).isEqualTo(4_500);
  }

  /** README: testing a consumer without sleeping, with the testkit. */
  @Test
  void testingAConsumerWithAManualClock() {
    // README: testkit
    ManualClock clock = new ManualClock();
    try (Store store = Sluice.open("mem:", StoreOptions.defaults().clock(clock))) {
      store.stream("clicks").append(Map.of("page", "/"));
      List<Integer> sizes = new ArrayList<>();
      var consumer = store.streaming("clicks").window(Windows.fixed(Duration.ofMinutes(1)));
      assertThat(consumer.once(w -> sizes.add(w.size()))).isFalse(); // the minute is not over
      clock.advance(Duration.ofMinutes(1));
      assertThat(consumer.once(w -> sizes.add(w.size()))).isTrue();
      assertThat(sizes).containsExactly(1);
    }
  }
}
