package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.spi.Capability;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What users get from a backend that lacks a capability: a clear error, never a guess. */
class CapabilityTest {
  @Test
  void aBackendWithoutConsumersRefusesStreamingNamingTheStoreAndTheCapability() {
    try (Store store = Sluice.open("plain:no-consumers")) {
      store.stream("s").append(Map.of("a", 1)); // streams work
      assertThat(store.capabilities()).isEmpty();
      assertThatThrownBy(() -> store.streaming("s"))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("plain:no-consumers")
          .hasMessageContaining("consumers")
          .hasMessageContaining("CONSUMER_ENGINE")
          .satisfies(
              e ->
                  assertThat(((UnsupportedCapabilityException) e).missing())
                      .isEqualTo(Capability.CONSUMER_ENGINE));
      assertThat(store.stream("s").groups()).isEmpty();
    }
  }

  @Test
  void aTableSinkNeedsSqlTransactionsNotASqliteUrl() {
    try (Store store = Sluice.open("plain:no-sql")) {
      assertThatThrownBy(() -> Sinks.table(store, null, "INSERT INTO x VALUES (?)", (ps, v) -> {}))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("plain:no-sql")
          .hasMessageContaining("SQL_TRANSACTIONS");
    }
  }

  @Test
  void theBuiltInStoresSayWhatTheyCanDo() {
    try (Store mem = Sluice.open("mem:")) {
      assertThat(mem.capabilities())
          .contains(Capability.CONSUMER_ENGINE)
          .doesNotContain(Capability.SQL_TRANSACTIONS, Capability.PARTITIONS);
      assertThat(mem.stream("s").partitions()).isEqualTo(1);
      assertThatThrownBy(() -> mem.stream("s").read(1, 0, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("partition 1");
    }
  }
}
