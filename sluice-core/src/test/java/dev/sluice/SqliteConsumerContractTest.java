package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteConsumerContractTest extends ConsumerContractTest {
  @TempDir Path dir;

  @Override
  protected String url() {
    return "sqlite:" + dir.resolve("store");
  }

  @Test
  void exactlyOnceIntoATableOfTheStoresDatabase() throws Exception {
    var s = store.stream("t");
    for (int i = 0; i < 6; i++) {
      s.append(n(i));
    }
    AtomicInteger failures = new AtomicInteger(1);
    var sink =
        Sinks.<Integer[]>table(
            store,
            "CREATE TABLE IF NOT EXISTS sums(first INTEGER PRIMARY KEY, total INTEGER)",
            "INSERT INTO sums(first, total) VALUES (?, ?)",
            (ps, row) -> {
              ps.setInt(1, row[0]);
              ps.setInt(2, row[1]);
              if (row[0] == 2 && failures.getAndDecrement() > 0) {
                throw new java.sql.SQLException("disk hiccup after the insert was bound");
              }
            });
    var c =
        store
            .streaming("t")
            .size(2)
            .delivery(Delivery.EXACTLY_ONCE)
            .retry(Retry.times(3).backoff(Duration.ZERO))
            .process(
                w ->
                    new Integer[] {
                      (int) w.firstOffset(), w.data().stream().mapToInt(v -> nOf(v)).sum()
                    })
            .sink(sink);
    while (c.once()) {}
    List<String> rows = new ArrayList<>();
    try (Connection conn =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve("store").resolve("sluice.db"));
        ResultSet rs =
            conn.createStatement().executeQuery("SELECT first, total FROM sums ORDER BY first")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + ":" + rs.getInt(2));
      }
    }
    assertThat(rows).containsExactly("0:1", "2:5", "4:9");
    assertThat(s.groups().get(0).committed()).isEqualTo(6);
    assertThat(s.groups().get(0).windowsFailed()).isEqualTo(1);
  }

  @Test
  void aTableSinkNeedsAStoreWithADatabase() {
    try (Store mem = Sluice.open("mem:")) {
      assertThatThrownBy(() -> Sinks.table(mem, null, "INSERT INTO x VALUES (?)", (ps, v) -> {}))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("SQL database")
          .hasMessageContaining("SQL_TRANSACTIONS")
          .hasMessageContaining(mem.url());
    }
  }
}
